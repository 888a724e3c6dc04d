// Claim box tools: copy a claim's TeX or its BibTeX entry.

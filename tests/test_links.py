"""Every link and asset reference in the built site leads somewhere: the file exists and, when
the link names an anchor, the anchor is an id on that page.

Pages are crawled as the deployed site serves them, under ``site_url``'s path (``/verified/``).
404.html is crawled as a host serves it: in place of a missing page at any depth, so its links
must be absolute and still land under that path.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from .conftest import ROOT

LINKING_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src"}
ID = re.compile(r"""\bid=["']([^"']+)["']""")


def site_prefix() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    url = re.search(r"^site_url:\s*(\S+)", text, re.M).group(1)
    return urlparse(url).path


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = LINKING_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def served_url(site: Path, path: Path, prefix: str) -> str:
    """The URL a page has when the site is served under ``prefix``."""
    if path.name == "404.html":
        return prefix + "a/missing/page/at/some/depth/"
    rel = path.relative_to(site).as_posix()
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return prefix + rel


def broken_links(site: Path, prefix: str = "/") -> list[str]:
    ids: dict[Path, set[str]] = {}

    def ids_of(target: Path) -> set[str]:
        if target not in ids:
            ids[target] = set(ID.findall(target.read_text(encoding="utf-8", errors="replace")))
        return ids[target]

    problems = []
    for page in sorted(site.rglob("*.html")):
        here = served_url(site, page, prefix)
        for link in links_of(page.read_text(encoding="utf-8")):
            parsed = urlparse(urljoin("http://site.test" + here, link))
            if parsed.scheme not in ("http", "https") or parsed.netloc != "site.test":
                continue  # another host (the repository, the issue tracker) or mailto:, data:
            where = f"{page.relative_to(site)}: {link}"
            path = unquote(parsed.path)
            if not path.startswith(prefix):
                problems.append(f"{where} leaves the site's path {prefix}")
                continue
            target = site / path[len(prefix) :]
            if target.is_dir() or path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where} -> no file {target.relative_to(site)}")
                continue
            fragment = unquote(parsed.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                problems.append(f"{where} -> no id {fragment!r} in {target.relative_to(site)}")
    return problems


def test_every_link_and_asset_of_the_built_site_resolves(built_site):
    prefix = site_prefix()
    assert prefix == "/verified/"
    problems = broken_links(built_site, prefix)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:40])


def test_404_page_links_work_from_any_depth(built_site):
    """The host serves 404.html for a missing URL at any depth: its links are absolute."""
    links = links_of((built_site / "404.html").read_text(encoding="utf-8"))
    local = [link for link in links if not urlparse(link).netloc and not link.startswith("#")]
    assert len(local) > 20
    relative = [link for link in local if not link.startswith(site_prefix())]
    assert not relative, f"404.html links that break below the top level: {relative[:5]}"


def test_link_crawler_finds_missing_files_anchors_and_relative_404_links(tmp_path):
    """Must-fail fixture: a made-up site with one good link and one of each kind of bad one."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="../b/">missing page</a>'
        '<a href="#nowhere">missing anchor</a><img src="../pic.svg">'
        '<a href="https://example.org/x">another host</a>'
    )
    (tmp_path / "404.html").write_text('<a href="a/">relative</a><a href="/site/a/#here">ok</a>')
    problems = broken_links(tmp_path, "/site/")
    assert len(problems) == 4, problems
    assert any("no file b/index.html" in p for p in problems)
    assert any("'nowhere'" in p for p in problems)
    assert any("pic.svg" in p for p in problems)
    assert any(p.startswith("404.html") for p in problems)


def test_every_page_links_the_repository_without_asking_github_for_facts(built_site):
    """The header links the repository (repo_url), as a plain link: Material's own component
    (``data-md-component="source"``) would send each reader's browser to api.github.com."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    repo = re.search(r"^repo_url:\s*(\S+)", text, re.M).group(1)
    assert repo.startswith("https://github.com/")
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'<a href="{repo}" title="Go to repository" class="md-source">' in html, page
        assert 'data-md-component="source"' not in html, page

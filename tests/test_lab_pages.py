"""Lab pages: where their code is and how to run it, the kernel their files declare, anchors that
land, a notebook stylesheet cut to what the pages use (same look, a fraction of the weight), and
a page that fits a phone."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import jupytext
import pytest
import yaml

from tests.conftest import BIN, ROOT, load_hook

labs = load_hook("labs")
LAB_PATHS = labs.lab_paths()
TOPICS = [Path(rel).stem for rel in LAB_PATHS]

CSS_GZIP_BUDGET = 15_000  # bytes per lab page's notebook stylesheet (was 86 KB: JupyterLab's all)
CSS_RAW_BUDGET = 40_000


def site_config() -> dict:
    # mkdocs.yml has !!python/name tags (e.g. for extensions); read only the plain keys
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def lab_html(site: Path, topic: str) -> str:
    return (site / "derivations" / topic / "index.html").read_text(encoding="utf-8")


# ── The files: a kernel jupytext can run, and one lab run the way the page says ──────────────


@pytest.mark.parametrize("rel", LAB_PATHS)
def test_lab_file_declares_the_python3_kernel(rel):
    notebook = jupytext.read(ROOT / rel)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3", rel
    assert notebook.metadata["kernelspec"].get("language") == "python", rel
    assert notebook.cells[0].cell_type == "markdown", rel
    assert notebook.cells[0].source.startswith("# Lab"), rel  # the header is not a cell


def test_a_lab_executes_with_the_plain_jupytext_command(tmp_path):
    """``jupytext --to notebook --execute derivations/<topic>.py``, no ``--set-kernel``: the
    command the lab pages give. Run on a copy in a temporary directory, not in the repository."""
    rel = min(LAB_PATHS, key=lambda r: (ROOT / r).stat().st_size)
    copy = tmp_path / Path(rel).name
    shutil.copy(ROOT / rel, copy)
    before = sorted(ROOT.glob("derivations/*.ipynb"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("MPLBACKEND", None)
    proc = subprocess.run(
        [str(BIN / "jupytext"), "--to", "notebook", "--execute", copy.name],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "No kernel" not in proc.stderr
    notebook = json.loads(copy.with_suffix(".ipynb").read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert outputs, "the lab ran but produced no output"
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert sorted(ROOT.glob("derivations/*.ipynb")) == before


# ── The box that says where the code is ──────────────────────────────────────────────────────


@pytest.mark.parametrize("topic", TOPICS)
def test_lab_page_links_its_source_and_says_how_to_run_it(built_site, topic):
    html = lab_html(built_site, topic)
    box = re.search(r'<div class="admonition example lab-run"[^>]*>.*?</div>', html, re.DOTALL)
    assert box, "no 'Run this lab yourself' box"
    box = box.group(0)
    assert "data-search-exclude" in box.split(">", 1)[0]
    assert f'href="{topic}.py"' in box
    assert (built_site / "derivations" / topic / f"{topic}.py").is_file()
    repo = (site_config().get("repo_url") or "").rstrip("/")
    if repo:
        assert f'href="{repo}/blob/main/derivations/{topic}.py"' in box
    assert f"jupytext --to notebook --execute derivations/{topic}.py" in box
    assert f"python -m derivations.{topic}" in box
    # after the introduction, before the first code cell
    assert html.index("</h1>") < html.index(box) < html.index("jp-CodeCell")


def test_run_box_without_a_repository_url():
    plugin = SimpleNamespace(config={"include_source": True})
    config = {"plugins": {"mkdocs-jupyter": plugin}, "repo_url": None, "edit_uri": None}
    box = labs.run_box("derivations/taylor.py", config)
    assert 'href="taylor.py"' in box and "github" not in box and "git clone" not in box
    assert "in a copy of the project" in box
    assert "jupytext --to notebook --execute derivations/taylor.py" in box
    config["repo_url"] = "https://example.org/group/project/"
    config["edit_uri"] = "edit/trunk/docs/"
    box = labs.run_box("derivations/taylor.py", config)
    assert 'href="https://example.org/group/project/blob/trunk/derivations/taylor.py"' in box
    assert "git clone https://example.org/group/project.git\ncd project\n" in box
    plugin.config["include_source"] = False
    assert 'href="taylor.py"' not in labs.run_box("derivations/taylor.py", config)


def test_box_goes_after_the_introduction():
    html = "<h1>Lab</h1><p>Intro</p><p>More</p>"
    assert labs.insert_run_box(html, "[box]") == "<h1>Lab</h1><p>Intro</p>\n[box]<p>More</p>"
    assert labs.insert_run_box("<h1>Lab</h1>", "[box]") == "<h1>Lab</h1>\n[box]"
    assert labs.insert_run_box("<p>x</p>", "[box]") == "[box]<p>x</p>"


# ── Anchors ──────────────────────────────────────────────────────────────────────────────────


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        href = attrs.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            self.links.append(unquote(href[1:]))


@pytest.mark.parametrize("topic", TOPICS)
def test_every_same_page_anchor_resolves(built_site, topic):
    parser = _Anchors()
    parser.feed(lab_html(built_site, topic))
    missing = sorted({link for link in parser.links if link not in parser.ids})
    assert not missing, f"derivations/{topic}/: #{', #'.join(missing)} name no element"
    assert parser.links, "no in-page links at all: the table of contents is missing"


def test_table_of_contents_follows_the_heading_ids():
    """mkdocs-jupyter's TOC leaves code spans out of a heading's slug; nbconvert keeps them."""

    def entry(ident, title, level, children=()):
        return SimpleNamespace(id=ident, title=title, level=level, children=list(children))

    html = (
        '<h1 id="lab">Lab<a class="anchor-link" href="#lab">¶</a></h1>'
        '<h2 id="checking">Checking</h2>'
        '<h2 id="agreement-with-numpylinalglstsq">Agreement with <code>numpy.linalg.lstsq'
        '</code><a class="anchor-link" href="#agreement-with-numpylinalglstsq">¶</a></h2>'
        '<h3 id="a-b">A &amp; <code>b</code></h3>'
    )
    toc = [
        entry(
            "lab",
            "Lab",
            1,
            [
                entry("checking", "Checking", 2),
                entry("agreement-with", "Agreement with", 2, [entry("a", "A &amp;", 3)]),
            ],
        )
    ]
    labs.repair_toc(toc, html)
    lab = toc[0]
    assert [c.id for c in lab.children] == ["checking", "agreement-with-numpylinalglstsq"]
    assert lab.children[1].title == "Agreement with numpy.linalg.lstsq"
    assert lab.children[1].children[0].id == "a-b"
    assert lab.children[1].children[0].title == "A &amp; b"
    assert (lab.id, lab.title, lab.children[0].title) == ("lab", "Lab", "Checking")


# ── The notebook stylesheet ──────────────────────────────────────────────────────────────────


def _stylesheets(site: Path, topic: str) -> list[str]:
    return re.findall(r'href="((?:\.\./)+assets/notebook-[0-9a-f]+\.css)"', lab_html(site, topic))


@pytest.mark.parametrize("topic", TOPICS)
def test_lab_page_notebook_stylesheet_within_budget(built_site, topic):
    html = lab_html(built_site, topic)
    assert "<style" not in html.split('<div class="jupyter-wrapper"', 1)[1]
    sheets = _stylesheets(built_site, topic)
    assert len(sheets) == 1, sheets
    path = (built_site / "derivations" / topic / sheets[0]).resolve()
    raw = path.read_bytes()
    assert len(raw) <= CSS_RAW_BUDGET, f"{path.name}: {len(raw)} bytes"
    assert len(gzip.compress(raw, 9)) <= CSS_GZIP_BUDGET, f"{path.name}: {len(raw)} bytes"
    text = raw.decode("utf-8")
    assert ".jupyter-wrapper" in text and ".highlight-ipynb" in text
    assert "bp3-" not in text and "lm-DockPanel" not in text  # JupyterLab's application chrome
    # every custom property the sheet reads is defined there or by the theme
    defined = set(re.findall(r"(--[\w-]+):", text))
    theme_css = "".join(
        p.read_text(encoding="utf-8")
        for p in built_site.rglob("*.css")
        if not p.name.startswith("notebook-")
    )
    defined |= set(re.findall(r"(--[\w-]+)\s*:", theme_css))
    assert not set(re.findall(r"var\((--[\w-]+)\)", text)) - defined


def test_trim_keeps_what_can_match_and_what_it_uses():
    css = """
    .jupyter-wrapper{--used:red;--chain:var(--used);--unused:blue;--md-x:1px}
    .jupyter-wrapper .a{color:var(--chain)}
    .jupyter-wrapper .missing{color:green}
    .jupyter-wrapper .a:hover,.jupyter-wrapper .nope:hover{animation:spin 1s}
    .jupyter-wrapper .a::-moz-selection,.jupyter-wrapper .a::selection{color:red}
    [data-md-color-scheme=slate] .jupyter-wrapper .a{color:white}
    .jupyter-wrapper table.dataframe{border:0}
    @keyframes spin{to{transform:rotate(1turn)}}
    @keyframes unused{to{opacity:0}}
    @media print{.jupyter-wrapper .a{display:none}.jupyter-wrapper .missing{display:none}}
    .jupyter-wrapper .b:not(:hover) .c{color:red}
    .jupyter-wrapper .b > :focus{outline:0}
    .jupyter-wrapper .a > :focus{outline:1px}
    """
    html = '<div class="jupyter-wrapper"><p class="a">x</p><div class="b"><i class="c"></i></div>'
    out = labs.trim_notebook_css(css, html, frozenset({"--md-x"}))
    assert "--used:red" in out and "--chain:var(--used)" in out and "--md-x:1px" in out
    assert "--unused" not in out and ".missing" not in out and "dataframe" not in out
    assert ".jupyter-wrapper .a:hover{animation:spin 1s}" in out  # the matching part of the list
    assert "@keyframes spin" in out and "@keyframes unused" not in out
    assert ".jupyter-wrapper .a::-moz-selection,.jupyter-wrapper .a::selection" in out  # whole
    assert "[data-md-color-scheme=slate] .jupyter-wrapper .a{color:white}" in out
    assert "@media print{.jupyter-wrapper .a{display:none}}" in out
    assert ".b:not(:hover) .c" in out and ".b > :focus" in out
    assert ".a > :focus" not in out  # .a has no child to focus
    # a table matches once Material has wrapped it; a rule for the wrapper stays
    out = labs.trim_notebook_css(
        ".jupyter-wrapper .md-typeset__scrollwrap{margin:0}",
        '<div class="jupyter-wrapper"><table><tr><td>1</td></tr></table></div>',
    )
    assert "md-typeset__scrollwrap" in out


# ── In the browser: the same styles as with JupyterLab's whole stylesheet, and a phone ────────

BROWSER_TOPICS = ("least_squares", "activations")

# One element per kind (its tag and classes, and its ancestors'), with its computed style, and
# its ::before and ::after where they have content.
_STYLES = r"""() => {
  const wrapper = document.querySelector('.jupyter-wrapper');
  const kinds = new Map();
  for (const el of [document.body, wrapper, ...wrapper.querySelectorAll('*')]) {
    let key = el.childElementCount || el.textContent ? '' : '(empty)';
    for (let e = el; e; e = e.parentElement) key += e.tagName + '.' + (e.getAttribute('class') || '') + '/';
    if (!kinds.has(key)) kinds.set(key, el);
  }
  const out = {};
  for (const [key, el] of kinds) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      if (pseudo && style.content === 'none') continue;
      const values = [];
      for (let i = 0; i < style.length; i++) {
        if (!style[i].startsWith('--')) values.push(style[i] + ':' + style.getPropertyValue(style[i]));
      }
      out[key + (pseudo || '')] = values.sort().join(';');
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def full_notebook_css(tmp_path_factory) -> str:
    """The stylesheet mkdocs-jupyter's template inlines, before the hook cuts it."""
    from mkdocs_jupyter import convert

    lab = tmp_path_factory.mktemp("nb") / "tiny.py"
    lab.write_text("# %% [markdown]\n# # Tiny\n\n# %%\nx = 1\n", encoding="utf-8")
    body = convert.nb2html(str(lab), execute=False, kernel_name="python3", theme="")
    css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", body, re.DOTALL))
    assert len(css) > 400_000, "mkdocs-jupyter's template changed: look at the hook again"
    return css


def _open(chromium, base, topic, *, width, scheme, css=None):
    context = chromium.new_context(
        viewport={"width": width, "height": 844}, color_scheme=scheme, device_scale_factor=1
    )
    page = context.new_page()
    if css is not None:
        page.route(
            "**/assets/notebook-*.css",
            lambda route: route.fulfill(status=200, content_type="text/css", body=css),
        )
    page.goto(f"{base}derivations/{topic}/", wait_until="load")
    page.wait_for_function("document.querySelector('.jupyter-wrapper .katex') !== null")  # typeset
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("topic", BROWSER_TOPICS)
def test_trimmed_stylesheet_computes_the_same_styles(
    served_site, chromium, full_notebook_css, topic, scheme
):
    """Every kind of element of the lab, in the page's own trimmed stylesheet and in JupyterLab's
    whole one: the same computed style, property by property."""
    base, _ = served_site
    styles = {}
    for variant, css in (("trimmed", None), ("full", full_notebook_css)):
        context, page = _open(chromium, base, topic, width=1280, scheme=scheme, css=css)
        try:
            styles[variant] = page.evaluate(_STYLES)
        finally:
            context.close()
    assert styles["trimmed"].keys() == styles["full"].keys()
    differ = [k for k in styles["full"] if styles["full"][k] != styles["trimmed"][k]]
    if differ:
        full = dict(p.split(":", 1) for p in styles["full"][differ[0]].split(";"))
        trimmed = dict(p.split(":", 1) for p in styles["trimmed"][differ[0]].split(";"))
        changed = {p: (full.get(p), trimmed.get(p)) for p in full if full[p] != trimmed.get(p)}
        pytest.fail(f"{len(differ)} kinds of element differ; first {differ[0][:120]}: {changed}")


@pytest.mark.parametrize("topic", BROWSER_TOPICS)
def test_lab_styles_that_matter(served_site, chromium, topic):
    """Code cells read as code in both colour schemes; JupyterLab's prompts, hidden copies and
    hover-only anchors stay out of sight."""
    base, _ = served_site
    got = {}
    for scheme in ("light", "dark"):
        context, page = _open(chromium, base, topic, width=1280, scheme=scheme)
        try:
            got[scheme] = page.evaluate(
                """() => {
                  const style = (selector) => getComputedStyle(document.querySelector(selector));
                  return {
                    scheme: document.body.getAttribute('data-md-color-scheme'),
                    page_background: style('body').backgroundColor,
                    code_background: style('.jupyter-wrapper .highlight-ipynb').backgroundColor,
                    code_text: style('.jupyter-wrapper .highlight-ipynb').color,
                    code_overflow: style('.jupyter-wrapper .highlight-ipynb').overflowX,
                    code_font: style('.jupyter-wrapper .highlight-ipynb pre').fontFamily,
                    keyword: style('.jupyter-wrapper .highlight-ipynb .kn').color,
                    markdown_prompt: style('.jupyter-wrapper .jp-MarkdownCell .jp-InputPrompt')
                      .display,
                    hidden_copy: style('.jupyter-wrapper .clipboard-copy-txt').display,
                    copy_button: style('.jupyter-wrapper .zeroclipboard-container').position,
                    anchor: style('.jupyter-wrapper h2 .anchor-link').display,
                  };
                }"""
            )
        finally:
            context.close()
    light, dark = got["light"], got["dark"]
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")
    for values in (light, dark):
        assert values["code_background"] not in ("rgba(0, 0, 0, 0)", values["page_background"])
        assert values["keyword"] != values["code_text"], values  # highlighted
        assert values["code_overflow"] == "auto", values
        assert "mono" in values["code_font"].lower(), values
        assert values["markdown_prompt"] == "none", values
        assert values["hidden_copy"] == "none" and values["anchor"] == "none", values
        assert values["copy_button"] == "absolute", values
    assert light["code_background"] != dark["code_background"]  # dark mode reaches the cells
    assert light["code_text"] != dark["code_text"]


@pytest.mark.parametrize("topic", TOPICS)
def test_lab_page_fits_a_phone(served_site, chromium, topic):
    """390 px wide: nothing wider than the screen, nothing cut off out of reach; a long code line
    scrolls inside its block."""
    base, _ = served_site
    context, page = _open(chromium, base, topic, width=390, scheme="light")
    try:
        widths = page.evaluate(
            """() => {
              const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
              const unreachable = [];
              for (const el of document.querySelectorAll('.md-content *')) {
                if (el.closest('.katex-mathml')) continue;  // KaTeX's hidden copy for readers
                const overflow = getComputedStyle(el).overflowX;
                const clipped = ['hidden', 'clip'].includes(overflow)
                  && el.scrollWidth > el.clientWidth + 1;
                let scroller = el.parentElement;
                while (scroller && !scrolls(scroller)) scroller = scroller.parentElement;
                const outside = el.getBoundingClientRect().right > window.innerWidth + 1 && !scroller;
                if (clipped || outside) unreachable.push(el.tagName + '.' + el.className);
              }
              // what scrolls sideways is a block (code, an output), not the notebook or a cell
              const wide = [...document.querySelectorAll(
                  '.jupyter-wrapper, .jp-Notebook, .jp-Cell, .jp-Cell-inputWrapper, '
                  + '.jp-Cell-outputWrapper, .jp-MarkdownOutput')]
                .filter(el => el.scrollWidth > el.clientWidth + 1)
                .map(el => el.className);
              return {
                page: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
                unreachable: unreachable.slice(0, 5),
                wide: wide.slice(0, 5),
                blocks: [...document.querySelectorAll(
                    '.jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-RenderedText pre')]
                  .filter(b => b.scrollWidth > b.clientWidth + 1)
                  .map(b => [b.className || b.tagName, getComputedStyle(b).overflowX]),
              };
            }"""
        )
    finally:
        context.close()
    assert widths["page"] <= widths["viewport"], widths
    assert not widths["unreachable"], widths["unreachable"]
    assert not widths["wide"], widths["wide"]
    assert widths["blocks"], "no code line wider than a phone: the scroll check checks nothing"
    assert all(overflow in ("auto", "scroll") for _, overflow in widths["blocks"]), widths


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))

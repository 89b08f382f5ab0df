#!/usr/bin/env python3
"""Reads an exported DOCX or HTML file with libraries that owe nothing to Accord (python-docx,
Python's own HTML parser) and prints what a reader finds in it as JSON: one entry per
paragraph ({"style", "text", "list", and "rtl" for DOCX, "lang" and "dir" of the page for
HTML}) or table ({"table": rows of cell texts}), in order.

    read-export.py docx FILE | read-export.py html FILE
"""
import json
import sys
from html.parser import HTMLParser


def read_docx(path):
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(path)
    out = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, document)
            numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
            # Without a style of its own a paragraph is in the default one, as Word reads it.
            style = p.style.name if p.style is not None else "Normal"
            # Marked right to left (w:bidi), as Word and LibreOffice lay it out.
            rtl = p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
            out.append({"style": style, "text": p.text, "list": numbered, "rtl": rtl})
        elif tag == "tbl":
            table = Table(child, document)
            out.append({"table": [[c.text for c in row.cells] for row in table.rows]})
    return out


class Blocks(HTMLParser):
    """Headings, paragraphs, list items and table cells, with their text."""

    BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "th", "td", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.open, self.text, self.table = [], None, [], None
        self.page = {"lang": None, "dir": None}

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.page = {k: v for k, v in attrs if k in ("lang", "dir")}
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in self.BLOCKS:
            self.open, self.text = tag, []

    def handle_endtag(self, tag):
        if tag == "table":
            self.out.append({"table": self.table})
            self.table = None
        elif tag == self.open:
            text = "".join(self.text).strip()
            if tag in ("th", "td") and self.table is not None:
                self.table[-1].append(text)
            else:
                self.out.append({"style": tag, "text": text, "list": tag == "li", **self.page})
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.text.append(data)


def read_html(path):
    parser = Blocks()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser.out


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print(json.dumps(read_docx(path) if kind == "docx" else read_html(path), ensure_ascii=False))

# File: scripts/plots/document.py
#
# A report as a list of blocks (headings, paragraphs, tables, images, code),
# rendered twice: as GitHub Markdown and as one self-contained HTML page. The
# two renderings carry the same text, tables and images.
#
#   doc = Document("endgame: strategy comparison")
#   doc.h2("Teardown")
#   doc.table(["benchmark", "p50 (ms)"], [["teardown/capi/cache/idle", "1.92"]])
#   doc.image("img/teardown.png", "teardown latency per strategy")
#   open("report.md", "w").write(doc.markdown())
"""Markdown and HTML rendering of the comparison report."""

import html


class Document:
    def __init__(self, title):
        self.title = title
        self.blocks = []

    def h2(self, text, anchor=None):
        self.blocks.append(("h2", text, anchor or text.lower().replace(" ", "-")))

    def h3(self, text):
        self.blocks.append(("h3", text))

    def p(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        self.blocks.append(("ul", list(items)))

    def table(self, headers, rows):
        self.blocks.append(("table", list(headers), [[str(c) for c in r] for r in rows]))

    def image(self, path, alt):
        self.blocks.append(("img", path, alt))

    def code(self, text):
        self.blocks.append(("pre", text))

    def images(self):
        return [b[1] for b in self.blocks if b[0] == "img"]

    def markdown(self):
        out = ["# " + self.title, ""]
        for b in self.blocks:
            kind = b[0]
            if kind == "h2":
                out += ["## " + b[1], ""]
            elif kind == "h3":
                out += ["### " + b[1], ""]
            elif kind == "p":
                out += [b[1], ""]
            elif kind == "ul":
                out += ["- " + i for i in b[1]] + [""]
            elif kind == "table":
                headers, rows = b[1], b[2]
                out.append("| " + " | ".join(headers) + " |")
                out.append("|" + "|".join("---" for _ in headers) + "|")
                for r in rows:
                    out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
                out.append("")
            elif kind == "img":
                out += ["![%s](%s)" % (b[2], b[1]), ""]
            elif kind == "pre":
                out += ["```", b[1].rstrip("\n"), "```", ""]
        return "\n".join(out).rstrip("\n") + "\n"

    def html(self):
        e = html.escape
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            "<title>%s</title>" % e(self.title),
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
            "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
            "text-align:right;font-variant-numeric:tabular-nums}td:first-child,th:first-child{text-align:left}"
            "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee;margin:0.5em 0 1.5em}"
            "pre{background:#f6f6f6;padding:0.7em;overflow-x:auto}code{background:#f6f6f6}</style>",
            "</head><body>",
            "<h1>%s</h1>" % e(self.title),
        ]
        toc = [b for b in self.blocks if b[0] == "h2"]
        if toc:
            out.append("<ul>" + "".join('<li><a href="#%s">%s</a></li>' % (e(b[2]), e(b[1])) for b in toc) + "</ul>")
        for b in self.blocks:
            kind = b[0]
            if kind == "h2":
                out.append('<h2 id="%s">%s</h2>' % (e(b[2]), e(b[1])))
            elif kind == "h3":
                out.append("<h3>%s</h3>" % e(b[1]))
            elif kind == "p":
                out.append("<p>%s</p>" % _inline(b[1]))
            elif kind == "ul":
                out.append("<ul>" + "".join("<li>%s</li>" % _inline(i) for i in b[1]) + "</ul>")
            elif kind == "table":
                out.append("<table><tr>" + "".join("<th>%s</th>" % e(h) for h in b[1]) + "</tr>")
                for r in b[2]:
                    out.append("<tr>" + "".join("<td>%s</td>" % _inline(c) for c in r) + "</tr>")
                out.append("</table>")
            elif kind == "img":
                out.append('<img src="%s" alt="%s">' % (e(b[1]), e(b[2])))
            elif kind == "pre":
                out.append("<pre>%s</pre>" % e(b[1]))
        out.append("</body></html>")
        return "\n".join(out) + "\n"


def _inline(text):
    """Escapes text; `code` spans and **bold** become HTML."""
    parts = text.split("`")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append("<code>%s</code>" % html.escape(part))
        else:
            chunks = html.escape(part).split("**")
            out.append("".join(("<b>%s</b>" % c) if j % 2 else c for j, c in enumerate(chunks)))
    return "".join(out)

package org.neuroinfer.cli.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** A self-contained HTML page built section by section: text is escaped, images are embedded as data URIs. */
public final class Html {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    /** A page titled {@code title}. */
    public Html(String title) {
        this.title = title;
    }

    /** Escapes text for HTML. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A heading of level 1–3 with an anchor {@code id}. */
    public Html heading(int level, String id, String text) {
        body.append("<h").append(level).append(" id=\"").append(escape(id)).append("\">").append(escape(text))
                .append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph of text. */
    public Html paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** Preformatted text. */
    public Html pre(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A PNG file, embedded, with its alternative text and a caption. */
    public Html image(Path png, String caption) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(data).append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /** A table; a cell's background is {@code colours[i][j]} where not null. */
    public Html table(List<String> header, List<List<String>> rows, Color[][] colours) {
        body.append("<table><thead><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr></thead><tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            body.append("<tr>");
            for (int j = 0; j < rows.get(i).size(); j++) {
                Color c = colours == null || colours[i] == null || j >= colours[i].length ? null : colours[i][j];
                body.append(c == null ? "<td>" : String.format("<td style=\"background:#%02x%02x%02x;color:%s\">",
                        c.getRed(), c.getGreen(), c.getBlue(), (c.getRed() + c.getGreen() + c.getBlue()) < 400
                                ? "#fff" : "#000"));
                body.append(escape(rows.get(i).get(j))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    /** Opens a collapsed block with a summary line; close it with {@link #endDetails}. */
    public Html details(String summary) {
        body.append("<details><summary>").append(escape(summary)).append("</summary>\n");
        return this;
    }

    /** Closes the block opened by {@link #details}. */
    public Html endDetails() {
        body.append("</details>\n");
        return this;
    }

    /** The whole page. */
    @Override
    public String toString() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:1500px;margin:1em auto;padding:0 1em;"
                + "color:#222}table{border-collapse:collapse;margin:.5em 0;font-size:13px}td,th{border:1px solid #ccc;"
                + "padding:2px 7px;text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}"
                + "img{max-width:100%}figure{margin:1em 0}figcaption{font-size:13px;color:#555}pre{background:#f7f7f7;"
                + "padding:.6em;overflow-x:auto;font-size:12px}summary{cursor:pointer;margin:.4em 0}</style>\n"
                + "</head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }
}

/* report_doc.c: building the report's blocks and rendering them as Markdown and as one
 * self-contained HTML file (inline CSS, PNG charts embedded in base64). */
#include "report_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_doc_init(report_doc *doc)
{
    doc->blocks = json_array();
}

void report_doc_free(report_doc *doc)
{
    json_decref(doc->blocks);
    doc->blocks = NULL;
}

static json_t *report_doc_vformat(const char *fmt, va_list ap)
{
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0) return json_string("");
    json_t *string = json_string(text);
    free(text);
    return string ? string : json_string("(text not valid UTF-8)");
}

static void report_doc_text_block(report_doc *doc, const char *type, int level, const char *fmt,
                                  va_list ap)
{
    json_t *block = json_pack("{s:s, s:i}", "type", type, "level", level);
    json_object_set_new(block, "text", report_doc_vformat(fmt, ap));
    json_array_append_new(doc->blocks, block);
}

void report_doc_heading(report_doc *doc, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_doc_text_block(doc, "heading", level, fmt, ap);
    va_end(ap);
}

void report_doc_paragraph(report_doc *doc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_doc_text_block(doc, "paragraph", 0, fmt, ap);
    va_end(ap);
}

void report_doc_warning(report_doc *doc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_doc_text_block(doc, "warning", 0, fmt, ap);
    va_end(ap);
}

json_t *report_doc_list(report_doc *doc)
{
    json_t *block = json_pack("{s:s, s:[]}", "type", "list", "items");
    json_array_append_new(doc->blocks, block);
    return block;
}

void report_doc_item(json_t *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_array_append_new(json_object_get(list, "items"), report_doc_vformat(fmt, ap));
    va_end(ap);
}

json_t *report_doc_table(report_doc *doc, const char *first_header, ...)
{
    json_t *header = json_array();
    va_list ap;
    va_start(ap, first_header);
    for (const char *cell = first_header; cell; cell = va_arg(ap, const char *))
        json_array_append_new(header, json_string(cell));
    va_end(ap);
    return report_doc_table_from(doc, header);
}

json_t *report_doc_table_from(report_doc *doc, json_t *header)
{
    json_t *block = json_pack("{s:s, s:o, s:[]}", "type", "table", "header", header, "rows");
    json_array_append_new(doc->blocks, block);
    return block;
}

void report_doc_row_from(json_t *table, json_t *cells)
{
    json_array_append_new(json_object_get(table, "rows"), cells);
}

void report_doc_row(json_t *table, const char *first_cell, ...)
{
    json_t *row = json_array();
    va_list ap;
    va_start(ap, first_cell);
    for (const char *cell = first_cell; cell; cell = va_arg(ap, const char *)) {
        json_t *string = json_string(cell);
        json_array_append_new(row, string ? string : json_string("?"));
    }
    va_end(ap);
    json_array_append_new(json_object_get(table, "rows"), row);
}

size_t report_doc_row_count(json_t *table)
{
    return json_array_size(json_object_get(table, "rows"));
}

void report_doc_drop_if_empty(report_doc *doc, json_t *table)
{
    if (report_doc_row_count(table)) return;
    size_t i;
    json_t *block;
    json_array_foreach(doc->blocks, i, block)
    {
        if (block == table) {
            json_array_remove(doc->blocks, i);
            return;
        }
    }
}

void report_doc_chart(report_doc *doc, const char *title, const char *png, const char *svg)
{
    json_array_append_new(doc->blocks, json_pack("{s:s, s:s, s:s, s:s}", "type", "chart", "text",
                                                 title, "png", png, "svg", svg));
}

/* ---- Markdown ---- */

static void report_doc_md_cell(FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == '|') fputc('\\', out);
        fputc(*c == '\n' ? ' ' : *c, out);
    }
}

static void report_doc_md_table(FILE *out, json_t *block)
{
    json_t *header = json_object_get(block, "header"), *cell, *row;
    size_t i, r;
    fputc('|', out);
    json_array_foreach(header, i, cell)
    {
        const char *text = json_string_value(cell);
        fputc(' ', out);
        report_doc_md_cell(out, text[0] == '>' ? text + 1 : text);
        fputs(" |", out);
    }
    fputs("\n|", out);
    json_array_foreach(header, i, cell)
        fputs(json_string_value(cell)[0] == '>' ? "---:|" : "---|", out);
    fputc('\n', out);
    json_array_foreach(json_object_get(block, "rows"), r, row)
    {
        fputc('|', out);
        json_array_foreach(row, i, cell)
        {
            fputc(' ', out);
            report_doc_md_cell(out, json_string_value(cell));
            fputs(" |", out);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void report_doc_markdown(FILE *out, const report_doc *doc)
{
    size_t b, i;
    json_t *block, *item;
    json_array_foreach(doc->blocks, b, block)
    {
        const char *type = json_string_value(json_object_get(block, "type"));
        const char *text = json_string_value(json_object_get(block, "text"));
        if (!strcmp(type, "heading")) {
            int level = (int)json_integer_value(json_object_get(block, "level"));
            fprintf(out, "%.*s %s\n\n", level, "######", text);
        } else if (!strcmp(type, "paragraph")) {
            fprintf(out, "%s\n\n", text);
        } else if (!strcmp(type, "warning")) {
            fprintf(out, "> **Warning:** %s\n\n", text);
        } else if (!strcmp(type, "list")) {
            json_array_foreach(json_object_get(block, "items"), i, item)
                fprintf(out, "- %s\n", json_string_value(item));
            fputc('\n', out);
        } else if (!strcmp(type, "table")) {
            report_doc_md_table(out, block);
        } else if (!strcmp(type, "chart")) {
            fprintf(out, "![%s](%s)\n\n[SVG](%s)\n\n", text,
                    json_string_value(json_object_get(block, "png")),
                    json_string_value(json_object_get(block, "svg")));
        }
    }
}

/* ---- HTML ---- */

static void report_doc_html_text(FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*c, out);
        }
    }
}

static void report_doc_base64(FILE *out, const unsigned char *data, size_t length)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < length; i += 3) {
        unsigned value = (unsigned)data[i] << 16;
        if (i + 1 < length) value |= (unsigned)data[i + 1] << 8;
        if (i + 2 < length) value |= data[i + 2];
        fputc(alphabet[(value >> 18) & 63], out);
        fputc(alphabet[(value >> 12) & 63], out);
        fputc(i + 1 < length ? alphabet[(value >> 6) & 63] : '=', out);
        fputc(i + 2 < length ? alphabet[value & 63] : '=', out);
    }
}

/* Embeds DIR/NAME as a data URI; a missing file becomes a visible note instead. */
static void report_doc_html_image(FILE *out, const char *dir, const char *name, const char *alt)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "rb");
    unsigned char *data = NULL;
    long length = -1;
    if (file && fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0 && (data = malloc((size_t)length + 1)) &&
        fread(data, 1, (size_t)length, file) == (size_t)length) {
        fputs("<img alt=\"", out);
        report_doc_html_text(out, alt);
        fputs("\" src=\"data:image/png;base64,", out);
        report_doc_base64(out, data, (size_t)length);
        fputs("\">\n", out);
    } else {
        fputs("<p class=\"warning\">chart image missing: ", out);
        report_doc_html_text(out, name);
        fputs("</p>\n", out);
    }
    free(data);
    if (file) fclose(file);
}

static void report_doc_html_table(FILE *out, json_t *block)
{
    json_t *header = json_object_get(block, "header"), *cell, *row;
    size_t i, r;
    fputs("<table>\n<tr>", out);
    json_array_foreach(header, i, cell)
    {
        const char *text = json_string_value(cell);
        fputs(text[0] == '>' ? "<th class=\"num\">" : "<th>", out);
        report_doc_html_text(out, text[0] == '>' ? text + 1 : text);
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    json_array_foreach(json_object_get(block, "rows"), r, row)
    {
        fputs("<tr>", out);
        json_array_foreach(row, i, cell)
        {
            const char *head = json_string_value(json_array_get(header, i));
            fputs(head && head[0] == '>' ? "<td class=\"num\">" : "<td>", out);
            report_doc_html_text(out, json_string_value(cell));
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void report_doc_html(FILE *out, const report_doc *doc, const char *dir, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    report_doc_html_text(out, title);
    fputs(
        "</title>\n<style>\n"
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
        "color:#222}\n"
        "table{border-collapse:collapse;margin:1em 0;font-size:14px}\n"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}\n"
        "th{background:#f0f0f0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
        ".warning{background:#fff3cd;border-left:4px solid #e0a800;padding:8px}\n"
        "img{max-width:100%;border:1px solid #eee}\n"
        "</style>\n</head>\n<body>\n",
        out);
    fputs("<h1>", out);
    report_doc_html_text(out, title);
    fputs("</h1>\n", out);
    size_t b, i;
    json_t *block, *item;
    json_array_foreach(doc->blocks, b, block)
    {
        const char *type = json_string_value(json_object_get(block, "type"));
        const char *text = json_string_value(json_object_get(block, "text"));
        if (!strcmp(type, "heading")) {
            int level = (int)json_integer_value(json_object_get(block, "level"));
            fprintf(out, "<h%d>", level);
            report_doc_html_text(out, text);
            fprintf(out, "</h%d>\n", level);
        } else if (!strcmp(type, "paragraph") || !strcmp(type, "warning")) {
            fputs(!strcmp(type, "warning") ? "<p class=\"warning\"><b>Warning:</b> " : "<p>", out);
            report_doc_html_text(out, text);
            fputs("</p>\n", out);
        } else if (!strcmp(type, "list")) {
            fputs("<ul>\n", out);
            json_array_foreach(json_object_get(block, "items"), i, item)
            {
                fputs("<li>", out);
                report_doc_html_text(out, json_string_value(item));
                fputs("</li>\n", out);
            }
            fputs("</ul>\n", out);
        } else if (!strcmp(type, "table")) {
            report_doc_html_table(out, block);
        } else if (!strcmp(type, "chart")) {
            fputs("<figure>\n", out);
            report_doc_html_image(out, dir, json_string_value(json_object_get(block, "png")), text);
            fputs("<figcaption>", out);
            report_doc_html_text(out, text);
            fputs("</figcaption>\n</figure>\n", out);
        }
    }
    fputs("</body>\n</html>\n", out);
}

static int report_doc_write_one(const report_doc *doc, const char *dir, const char *name,
                                const char *title, wasmvs_error *err)
{
    char path[4096], temporary[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(temporary, sizeof temporary, "%s.tmp", path);
    FILE *out = fopen(temporary, "w");
    if (!out)
        return wasmvs_fail(err, "%s: cannot open for writing: %s", temporary, strerror(errno));
    if (strstr(name, ".html"))
        report_doc_html(out, doc, dir, title);
    else {
        fprintf(out, "# %s\n\n", title);
        report_doc_markdown(out, doc);
    }
    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        remove(temporary);
        return wasmvs_fail(err, "%s: write failed: %s", temporary, strerror(errno));
    }
    if (rename(temporary, path) != 0)
        return wasmvs_fail(err, "%s: cannot rename to %s: %s", temporary, path, strerror(errno));
    return 0;
}

int report_doc_write(const report_doc *doc, const char *dir, const char *title, wasmvs_error *err)
{
    if (report_doc_write_one(doc, dir, "report.md", title, err)) return -1;
    return report_doc_write_one(doc, dir, "report.html", title, err);
}

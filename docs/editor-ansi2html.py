#!/usr/bin/env python3
"""Renders `tmux capture-pane -e -p` output (SGR escapes) as an HTML page."""
import html, re, sys

BASE = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]

def color256(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (level, level, level)

FG, BG = "#d4d4d4", "#1c1c1c"

def render(text, width):
    state = {}
    out = []
    for line in text.rstrip("\n").split("\n"):
        row, column = [], 0
        for part in re.split(r"(\x1b\[[0-9;?]*[A-Za-z])", line):
            if part.startswith("\x1b["):
                if not part.endswith("m"):
                    continue
                codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0: state = {}
                    elif c == 1: state["bold"] = True
                    elif c == 22: state.pop("bold", None)
                    elif c == 3: state["italic"] = True
                    elif c == 23: state.pop("italic", None)
                    elif c == 4: state["underline"] = True
                    elif c == 24: state.pop("underline", None)
                    elif c == 7: state["reverse"] = True
                    elif c == 27: state.pop("reverse", None)
                    elif 30 <= c <= 37: state["fg"] = BASE[c - 30]
                    elif 90 <= c <= 97: state["fg"] = BASE[c - 90 + 8]
                    elif 40 <= c <= 47: state["bg"] = BASE[c - 40]
                    elif 100 <= c <= 107: state["bg"] = BASE[c - 100 + 8]
                    elif c == 39: state.pop("fg", None)
                    elif c == 49: state.pop("bg", None)
                    elif c in (38, 48) and i + 1 < len(codes):
                        key = "fg" if c == 38 else "bg"
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            state[key] = color256(codes[i + 2]); i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]); i += 4
                    i += 1
                continue
            if not part:
                continue
            fg, bg = state.get("fg", FG), state.get("bg", BG)
            if state.get("reverse"):
                fg, bg = bg, fg
            style = "color:%s;background:%s" % (fg, bg)
            if state.get("bold"): style += ";font-weight:bold"
            if state.get("italic"): style += ";font-style:italic"
            if state.get("underline"): style += ";text-decoration:underline"
            row.append('<span style="%s">%s</span>' % (style, html.escape(part)))
            column += len(part)
        out.append("".join(row) + " " * max(0, width - column))
    return "\n".join(out)

width = int(sys.argv[2]) if len(sys.argv) > 2 else 110
body = render(open(sys.argv[1], encoding="utf-8").read(), width)
print("""<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:%s}
pre{margin:0;padding:12px 14px;font:15px/1.3 'DejaVu Sans Mono',monospace;color:%s;background:%s}
</style><pre>%s</pre>""" % (BG, FG, BG, body))

//! A tiny document model rendered to Markdown and to HTML, so `summary.md` and
//! `index.html` always say the same thing.

use std::fmt::Write as _;

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Para(String),
    Bullets(Vec<String>),
    /// An image file (relative path) with its alt text.
    Image(String, String),
    /// A link list: (relative path, description).
    Links(Vec<(String, String)>),
}

/// A document: blocks in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }
    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Para(text.into()));
    }
    pub fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets(items));
        }
    }
    pub fn image(&mut self, file: impl Into<String>, alt: impl Into<String>) {
        self.blocks.push(Block::Image(file.into(), alt.into()));
    }
    pub fn links(&mut self, items: Vec<(String, String)>) {
        self.blocks.push(Block::Links(items));
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Heading(l, t) => {
                    let _ = writeln!(out, "{} {t}\n", "#".repeat(*l as usize));
                }
                Block::Para(t) => {
                    let _ = writeln!(out, "{t}\n");
                }
                Block::Bullets(items) => {
                    for i in items {
                        let _ = writeln!(out, "- {i}");
                    }
                    out.push('\n');
                }
                Block::Image(f, alt) => {
                    let _ = writeln!(out, "![{alt}]({f})\n");
                }
                Block::Links(items) => {
                    for (f, d) in items {
                        let _ = writeln!(out, "- [{f}]({f}) — {d}");
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    pub fn to_html(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}}img{{max-width:100%;border:1px solid #ddd}}li{{margin:.2em 0}}</style>\n</head>\n<body>",
            esc(title)
        );
        for b in &self.blocks {
            match b {
                Block::Heading(l, t) => {
                    let _ = writeln!(out, "<h{l}>{}</h{l}>", esc(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(out, "<p>{}</p>", esc(t));
                }
                Block::Bullets(items) => {
                    out.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(out, "<li>{}</li>", esc(i));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Image(f, alt) => {
                    let _ = writeln!(out, "<p><img src=\"{}\" alt=\"{}\"></p>", esc(f), esc(alt));
                }
                Block::Links(items) => {
                    out.push_str("<ul>\n");
                    for (f, d) in items {
                        let _ = writeln!(
                            out,
                            "<li><a href=\"{}\">{}</a> — {}</li>",
                            esc(f),
                            esc(f),
                            esc(d)
                        );
                    }
                    out.push_str("</ul>\n");
                }
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_carry_the_same_blocks() {
        let mut d = Doc::default();
        d.heading(1, "Report");
        d.paragraph("a < b");
        d.bullets(vec!["one".into()]);
        d.image("zones.png", "zones");
        d.links(vec![("days.csv".into(), "the days".into())]);
        assert_eq!(
            d.to_markdown(),
            "# Report\n\na < b\n\n- one\n\n![zones](zones.png)\n\n- [days.csv](days.csv) — the days\n\n"
        );
        let h = d.to_html("Report");
        assert!(h.contains("<h1>Report</h1>"));
        assert!(h.contains("<p>a &lt; b</p>"));
        assert!(h.contains("<img src=\"zones.png\" alt=\"zones\">"));
        assert!(h.contains("<a href=\"days.csv\">days.csv</a>"));
    }
}

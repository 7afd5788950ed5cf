//! The safe streaming XML reader under the GPX and TCX readers: local names only, no
//! entity ever expanded, nothing outside the bytes touched, memory flat in a document's
//! size. quick-xml tokenizes; this keeps the path of open elements and the text of the
//! innermost one, and reads a stream in windows so no event is copied.

use std::borrow::Cow;
use std::io::Read;

use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

/// Deepest element nesting accepted; real files stay under 10.
const MAX_DEPTH: usize = 64;
/// Longest text kept from one element (names; times and numbers are far shorter), so one
/// huge text node cannot grow memory.
const MAX_TEXT: usize = 512;
/// How much of a stream is parsed at a time (what the buffered reader before it held; 256 KB
/// measured no faster). It grows, doubling, only while one piece of markup or text does not
/// fit, as quick-xml's own buffer would.
const WINDOW: usize = 64 * 1024;

/// Where a document's bytes come from.
pub enum Input<'a> {
    /// All in memory (a member inflated from an archive, a test): parsed in place.
    Bytes(&'a [u8]),
    /// A stream (a file on disk), parsed in windows so memory stays flat in its size.
    Stream(&'a mut dyn Read),
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Input::Bytes(bytes)
    }
}

/// What [`walk`] met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An element opened; it is [`Node::name`] now, its attributes are [`Node::attr`].
    Start,
    /// An element closed: [`Node::closed`] names it, [`Node::text`] holds its text when it
    /// had no child elements.
    End,
}

/// Reads a document and shows each element opening and closing to `visit`, by local
/// names only (prefixes never matter). Character references and the five predefined
/// entities are resolved; a document type declaration that declares entities is refused.
/// Returns why reading stopped early (malformed or cut-short XML, a refused DTD), if it did.
///
/// Memory stays flat: the path of open elements, a capped text and, for a stream, one
/// window. The bytes are never copied per event: quick-xml reads each window as a slice
/// and the text of an element is kept as a range of it until the element closes.
pub fn walk(input: Input<'_>, mut visit: impl FnMut(Item, &Node<'_>)) -> Option<String> {
    let mut walker = Walker::default();
    let done = match input {
        Input::Bytes(bytes) => walker.window(bytes, 0, true, &mut visit).map(drop),
        Input::Stream(read) => walker.stream(read, WINDOW, &mut visit),
    };
    done.err()
}

/// The local names of the open elements (and of the one that just closed), and the
/// text of the innermost one, as [`walk`] shows them.
pub struct Node<'a> {
    path: &'a Path,
    text: Text<'a>,
    tag: Option<&'a BytesStart<'a>>,
}

impl Node<'_> {
    /// The innermost open element's local name.
    #[inline]
    pub fn name(&self) -> &[u8] {
        self.path.local(self.path.levels.len().wrapping_sub(1))
    }

    /// The local name of the element `up` levels above the innermost (0 = innermost).
    pub fn ancestor(&self, up: usize) -> &[u8] {
        self.path
            .local(self.path.levels.len().wrapping_sub(1).wrapping_sub(up))
    }

    /// Is an element of this local name open?
    pub fn inside(&self, name: &[u8]) -> bool {
        (0..self.path.levels.len()).any(|i| self.path.local(i) == name)
    }

    /// The element that just closed.
    #[inline]
    pub fn closed(&self) -> &[u8] {
        &self.path.names[self.path.closed.0..self.path.closed.1]
    }

    /// The text of the element that just closed (trimmed).
    pub fn text(&self) -> Cow<'_, str> {
        match self.text {
            Text::Raw(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s.trim()),
                Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).trim().to_string()),
            },
            Text::Str(s) => Cow::Borrowed(s.trim()),
        }
    }

    /// Shows each attribute of the element that just opened to `f` as its local name and
    /// raw value (entities not resolved), until `f` returns `false`. For readers that take
    /// several attributes of every element (Apple Health records): one pass, no copies.
    pub fn for_each_attr(&self, mut f: impl FnMut(&[u8], &[u8]) -> bool) {
        let Some(tag) = self.tag else { return };
        for attr in tag.attributes().with_checks(false).flatten() {
            let key = attr.key.into_inner();
            let local = key
                .iter()
                .position(|&b| b == b':')
                .map_or(key, |i| &key[i + 1..]);
            if !f(local, &attr.value) {
                return;
            }
        }
    }

    /// An attribute of the element that just opened, by local name; empty when its value
    /// holds an unknown entity.
    pub fn attr(&self, name: &[u8]) -> Option<String> {
        let attr = self
            .tag?
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)?;
        Some(
            attr.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_default(),
        )
    }
}

/// An element's text as [`Node::text`] reads it.
#[derive(Clone, Copy)]
enum Text<'a> {
    /// One piece of the window, checked as UTF-8 only when read.
    Raw(&'a [u8]),
    /// Pieces joined (text around a reference, CDATA), or carried over a window's end.
    Str(&'a str),
}

/// The open elements' qualified names, concatenated; per element, where its local name
/// starts and where it ends.
#[derive(Default)]
struct Path {
    names: Vec<u8>,
    levels: Vec<(usize, usize)>,
    /// The local name of the element that just closed, still in `names`.
    closed: (usize, usize),
}

impl Path {
    #[inline]
    fn local(&self, i: usize) -> &[u8] {
        match self.levels.get(i) {
            Some(&(start, end)) => &self.names[start..end],
            None => b"",
        }
    }

    /// Where the qualified name of the innermost open element starts.
    fn top_start(&self) -> usize {
        match self.levels.len() {
            0 | 1 => 0,
            n => self.levels[n - 2].1,
        }
    }
}

/// Where the text of the innermost element is so far.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Held {
    #[default]
    Nothing,
    /// One piece, still in the window.
    InWindow(usize, usize),
    /// In `Walker::text`.
    Owned,
}

/// How a window ended.
enum Parsed {
    /// The document ended properly.
    Done,
    /// Everything before this offset was shown; the rest needs more bytes.
    Upto(usize),
}

#[derive(Default)]
struct Walker {
    path: Path,
    text: String,
    held: Held,
}

impl Walker {
    /// Moves the text held in the window into `self.text`.
    fn own_text(&mut self, window: &[u8]) {
        match self.held {
            Held::Nothing => self.text.clear(),
            Held::InWindow(a, b) => {
                self.text.clear();
                push_text(&mut self.text, &window[a..b]);
            }
            Held::Owned => {}
        }
        self.held = Held::Owned;
    }

    /// Adds one piece of text: kept as a place in the window while it is the only one.
    fn add_text(&mut self, window: &[u8], piece: &[u8]) {
        // Where the piece lies in the window, if it is borrowed from it (a slice reader's
        // text and CDATA always are; a resolved reference is not).
        let at = (piece.as_ptr() as usize).wrapping_sub(window.as_ptr() as usize);
        let in_window = at <= window.len() && piece.len() <= window.len() - at;
        match self.held {
            Held::Nothing if in_window && piece.len() <= MAX_TEXT => {
                if !piece.is_empty() {
                    self.held = Held::InWindow(at, at + piece.len());
                }
            }
            Held::Nothing if in_window => {}
            _ => {
                self.own_text(window);
                push_text(&mut self.text, piece);
            }
        }
    }

    #[inline]
    fn node<'a>(&'a self, window: &'a [u8], tag: Option<&'a BytesStart<'a>>) -> Node<'a> {
        let text = match self.held {
            Held::Nothing => Text::Str(""),
            Held::InWindow(a, b) => Text::Raw(&window[a..b]),
            Held::Owned => Text::Str(&self.text),
        };
        Node {
            path: &self.path,
            text,
            tag,
        }
    }

    /// Closes the innermost element: shows it to `visit`, then forgets its name.
    fn close(&mut self, window: &[u8], visit: &mut impl FnMut(Item, &Node<'_>)) {
        let qstart = self.path.top_start();
        if let Some(level) = self.path.levels.pop() {
            self.path.closed = level;
        }
        visit(Item::End, &self.node(window, None));
        self.path.names.truncate(qstart);
        self.path.closed = (0, 0);
    }

    /// Reads a stream window by window. Each window ends just before its last `<`, so
    /// every text in it is whole and a cut only ever falls inside markup: quick-xml then
    /// says the markup is unclosed, and the window after starts at that markup.
    fn stream(
        &mut self,
        read: &mut dyn Read,
        window: usize,
        visit: &mut impl FnMut(Item, &Node<'_>),
    ) -> Result<(), String> {
        let mut buf = vec![0u8; window.max(1)];
        let (mut filled, mut base, mut eof) = (0usize, 0u64, false);
        loop {
            if !eof {
                if filled == buf.len() {
                    buf.resize(buf.len() * 2, 0);
                }
                while filled < buf.len() {
                    match read.read(&mut buf[filled..]) {
                        Ok(0) => {
                            eof = true;
                            break;
                        }
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            return Err(format!(
                                "not well-formed XML near byte {} (I/O error: {e})",
                                base + filled as u64
                            ))
                        }
                    }
                }
            }
            let end = if eof {
                filled
            } else {
                match buf[1..filled].iter().rposition(|&b| b == b'<') {
                    Some(i) => i + 1,
                    None => continue, // one piece fills the window: a larger one
                }
            };
            match self.window(&buf[..end], base, eof, visit)? {
                Parsed::Done => return Ok(()),
                Parsed::Upto(n) => {
                    buf.copy_within(n..filled, 0);
                    filled -= n;
                    base += n as u64;
                }
            }
        }
    }

    /// Shows the elements of one window (`base`: its offset in the document; `last`: the
    /// document ends with it).
    fn window(
        &mut self,
        window: &[u8],
        base: u64,
        last: bool,
        visit: &mut impl FnMut(Item, &Node<'_>),
    ) -> Result<Parsed, String> {
        let mut reader = Reader::from_reader(window);
        let config = reader.config_mut();
        // White space between elements makes no event at all (half of a file's events).
        config.trim_text(true);
        // A window may close elements an earlier one opened: end names are checked here,
        // against the path, instead.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        let bad = |at: u64, e: &dyn std::fmt::Display| {
            format!("not well-formed XML near byte {} ({e})", base + at)
        };
        loop {
            let before = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(quick_xml::Error::Syntax(e))
                    if !last && e != quick_xml::errors::SyntaxError::InvalidBangMarkup =>
                {
                    // Markup cut by the window's end: read it again with more bytes.
                    self.hold_over(window);
                    return Ok(Parsed::Upto(reader.error_position() as usize));
                }
                Err(e) => return Err(bad(reader.error_position(), &e)),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if self.path.levels.len() >= MAX_DEPTH {
                        return Err(format!("elements nested more than {MAX_DEPTH} deep"));
                    }
                    let qname = e.name().into_inner();
                    // The local name follows the first `:` (as quick-xml's `local_name`,
                    // without its memchr call: names are short).
                    let local = qname.iter().position(|&b| b == b':').map_or(0, |i| i + 1);
                    let path = &mut self.path;
                    let start = path.names.len();
                    path.names.extend_from_slice(qname);
                    path.levels.push((start + local, path.names.len()));
                    self.held = Held::Nothing;
                    visit(Item::Start, &self.node(window, Some(e)));
                    if matches!(event, Event::Empty(_)) {
                        self.close(window, visit);
                    }
                }
                Event::End(e) => {
                    let qstart = self.path.top_start();
                    let wrong = match self.path.levels.last() {
                        None => Some(IllFormedError::UnmatchedEndTag(lossy(e.name().as_ref()))),
                        Some(&(_, end)) if self.path.names[qstart..end] != *e.name().as_ref() => {
                            Some(IllFormedError::MismatchedEndTag {
                                expected: lossy(&self.path.names[qstart..end]),
                                found: lossy(e.name().as_ref()),
                            })
                        }
                        Some(_) => None,
                    };
                    if let Some(wrong) = wrong {
                        // Where quick-xml would say: at the end tag's `<`.
                        let at = reader.buffer_position() as usize;
                        let lt = window[before..at].iter().rposition(|&b| b == b'<');
                        let at = before + lt.unwrap_or(0);
                        return Err(bad(at as u64, &quick_xml::Error::IllFormed(wrong)));
                    }
                    self.close(window, visit);
                }
                Event::Text(t) => self.add_text(window, &t),
                Event::CData(t) => self.add_text(window, &t),
                Event::GeneralRef(r) => self.add_text(window, reference(&r).as_bytes()),
                Event::DocType(d) => {
                    if d.windows(8).any(|w| w == b"<!ENTITY") {
                        return Err(
                            "it declares its own XML entities (<!DOCTYPE … <!ENTITY …>), \
                                    which are never expanded"
                                .into(),
                        );
                    }
                }
                Event::Eof if !last => {
                    self.hold_over(window);
                    return Ok(Parsed::Upto(window.len()));
                }
                Event::Eof => {
                    if self.path.levels.is_empty() {
                        return Ok(Parsed::Done);
                    }
                    return Err(format!(
                        "the XML ends inside <{}> (cut short?)",
                        String::from_utf8_lossy(self.node(window, None).name())
                    ));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// Keeps the text held in a window that is about to be replaced.
    fn hold_over(&mut self, window: &[u8]) {
        if let Held::InWindow(..) = self.held {
            self.own_text(window);
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    std::str::from_utf8(bytes).unwrap_or_default().to_string()
}

fn push_text(text: &mut String, bytes: &[u8]) {
    if text.len() + bytes.len() <= MAX_TEXT {
        match std::str::from_utf8(bytes) {
            Ok(s) => text.push_str(s),
            Err(_) => text.push_str(&String::from_utf8_lossy(bytes)),
        }
    }
}

/// A reference's text: a character reference or one of the five predefined entities. Any
/// other entity is never expanded: it becomes U+FFFD, which no number or time parses.
fn reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name: &[u8] = r;
    match name {
        b"lt" => "<",
        b"gt" => ">",
        b"amp" => "&",
        b"apos" => "'",
        b"quot" => "\"",
        _ => "\u{FFFD}",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    // -------------------------------------------------------------------------------
    // The windowed reader against the one it replaced.

    /// The attributes every test line shows, by local name.
    const KEYS: &[&[u8]] = &[b"creator", b"Sport", b"StartTime", b"lat", b"a"];

    fn start_line(name: &[u8], parent: &[u8], attr: impl Fn(&[u8]) -> Option<String>) -> String {
        let attrs: Vec<Option<String>> = KEYS.iter().map(|k| attr(k)).collect();
        format!(
            "<{} in {} {attrs:?}",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(parent)
        )
    }

    fn end_line(closed: &[u8], parent: &[u8], text: &str, in_point: bool) -> String {
        format!(
            "</{} in {} {text:?} {in_point}",
            String::from_utf8_lossy(closed),
            String::from_utf8_lossy(parent)
        )
    }

    /// What the stream showed: one line per element opened or closed, then why it stopped.
    fn lines(input: Input<'_>) -> (Vec<String>, Option<String>) {
        let mut out = Vec::new();
        let stopped = walk(input, |item, n| {
            out.push(match item {
                Item::Start => start_line(n.name(), n.ancestor(1), |k| n.attr(k)),
                Item::End => end_line(n.closed(), n.name(), &n.text(), n.inside(b"trkpt")),
            })
        });
        (out, stopped)
    }

    /// The stream as it was before windows: quick-xml over a buffered reader, copying each
    /// event, checking end names itself; the same lines.
    fn reference_lines(doc: &[u8]) -> (Vec<String>, Option<String>) {
        let mut reader = Reader::from_reader(std::io::BufReader::with_capacity(7, doc));
        reader.config_mut().check_end_names = true;
        reader.config_mut().trim_text(true);
        let (mut buf, mut path, mut text, mut out) =
            (Vec::new(), Vec::new(), String::new(), Vec::new());
        let up = |path: &Vec<Vec<u8>>, n: usize| -> Vec<u8> {
            path.len()
                .checked_sub(1 + n)
                .map(|i| path[i].clone())
                .unwrap_or_default()
        };
        let close = |path: &mut Vec<Vec<u8>>, text: &str, out: &mut Vec<String>| {
            let closed = path.pop().unwrap_or_default();
            let in_point = path.iter().any(|p| p == b"trkpt");
            out.push(end_line(&closed, &up(path, 0), text.trim(), in_point));
        };
        loop {
            buf.clear();
            let event = match reader.read_event_into(&mut buf) {
                Ok(e) => e,
                Err(e) => {
                    let why = format!(
                        "not well-formed XML near byte {} ({e})",
                        reader.error_position()
                    );
                    return (out, Some(why));
                }
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let attrs: Vec<(Vec<u8>, String)> = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            let v = a.unescape_value().map(|v| v.into_owned());
                            (a.key.local_name().as_ref().to_vec(), v.unwrap_or_default())
                        })
                        .collect();
                    if path.len() >= MAX_DEPTH {
                        return (
                            out,
                            Some(format!("elements nested more than {MAX_DEPTH} deep")),
                        );
                    }
                    path.push(e.local_name().as_ref().to_vec());
                    text.clear();
                    out.push(start_line(&up(&path, 0), &up(&path, 1), |k| {
                        attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
                    }));
                    if matches!(event, Event::Empty(_)) {
                        close(&mut path, &text, &mut out);
                    }
                }
                Event::End(_) => close(&mut path, &text, &mut out),
                Event::Text(t) => push_text(&mut text, &t),
                Event::CData(t) => push_text(&mut text, &t),
                Event::GeneralRef(r) => push_text(&mut text, reference(&r).as_bytes()),
                Event::DocType(d) if d.windows(8).any(|w| w == b"<!ENTITY") => {
                    return (
                        out,
                        Some(
                            "it declares its own XML entities (<!DOCTYPE … <!ENTITY …>), \
                                    which are never expanded"
                                .into(),
                        ),
                    );
                }
                Event::Eof if path.is_empty() => return (out, None),
                Event::Eof => {
                    let name = String::from_utf8_lossy(&up(&path, 0)).into_owned();
                    return (
                        out,
                        Some(format!("the XML ends inside <{name}> (cut short?)")),
                    );
                }
                _ => {}
            }
        }
    }

    /// Hands out its bytes one at a time.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(out)) => {
                    *out = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    /// Every way of reading `doc` shows the same lines as the reader before windows.
    fn same_as_before(doc: &[u8]) {
        let expected = reference_lines(doc);
        let shown = |what: &str, got: (Vec<String>, Option<String>)| {
            assert_eq!(
                got,
                expected,
                "{what} on {:?}",
                String::from_utf8_lossy(doc)
            );
        };
        shown("in memory", lines(Input::Bytes(doc)));
        shown("streamed", lines(Input::Stream(&mut &doc[..])));
        shown("a byte per read", lines(Input::Stream(&mut Trickle(doc))));
        for window in [1, 2, 3, 5, 8, 13, 21, 64] {
            let mut out = Vec::new();
            let mut walker = Walker::default();
            let stopped = walker
                .stream(&mut &doc[..], window, &mut |item, n: &Node<'_>| {
                    out.push(match item {
                        Item::Start => start_line(n.name(), n.ancestor(1), |k| n.attr(k)),
                        Item::End => end_line(n.closed(), n.name(), &n.text(), n.inside(b"trkpt")),
                    })
                })
                .err();
            shown(&format!("windows of {window}"), (out, stopped));
        }
    }

    const GPX: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <gpx creator=\"Garmin &amp; Co\" version=\"1.1\" xmlns:x=\"urn:x\">\n  <trk>\n    \
        <name>Morning &lt;Run&gt; &#233;&#x41;</name><type>running</type>\n    <trkseg>\n      \
        <trkpt lat=\"52.5\" lon=\"13.4\">\n        <ele>30.0</ele>\n        \
        <time>2026-05-01T06:00:00Z</time>\n        <extensions><x:TrackPointExtension>\
        <x:hr> 142 </x:hr></x:TrackPointExtension></extensions>\n      </trkpt>\n      \
        <trkpt lat='52.6' lon='13.5'/>\n    </trkseg>\n  </trk>\n</gpx>\n";

    #[test]
    fn windows_show_what_the_whole_document_shows() {
        let long_name = "n".repeat(600);
        let near_cap = format!(
            "<gpx><name>{}&amp;{}</name></gpx>",
            "a".repeat(505),
            "b".repeat(10)
        );
        let docs: Vec<String> = vec![
            GPX.to_string(),
            // Markup holding `<` and `>`: comments, CDATA, a DTD's internal subset, PIs.
            "<gpx><!-- a < b > c --><name><![CDATA[x < y]]> and <![CDATA[ z ]]></name><?pi a<b?></gpx>".into(),
            "<!DOCTYPE gpx [<!ELEMENT gpx ANY><!ATTLIST gpx a CDATA #IMPLIED>]><gpx a=\"1 &gt; 0\"/>".into(),
            "<!DOCTYPE gpx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><gpx>&b;</gpx>".into(),
            "<gpx a=\"x > y\" creator=\"&unknown;\"><time>&lol9;</time><name>&#1114112;</name></gpx>".into(),
            format!("<gpx><name>{long_name}</name><type>{long_name}&amp;ok</type></gpx>"),
            near_cap,
            // Ill-formed: end tags that do not match, an end tag with nothing open, names
            // that differ only by prefix, a lone `&`, unknown `<!` markup.
            "<gpx><trk></trkseg></gpx>".into(),
            "</gpx>".into(),
            "<gpx></gpx></gpx>".into(),
            "<a:gpx xmlns:a=\"u\" xmlns:b=\"u\"></b:gpx>".into(),
            "<gpx><name a=\"1\">x</name  ></gpx >".into(),
            "<gpx><name>fish & chips</name></gpx>".into(),
            "<gpx><!x y></gpx>".into(),
            // Not UTF-8, a byte-order mark, white space only, nothing at all.
            "\u{FEFF}<gpx><name>caf\u{e9}</name><desc>   </desc></gpx>".into(),
            String::new(),
            "   ".into(),
            "no markup at all".into(),
            format!("<gpx>{}", "<e>".repeat(70)),
        ];
        for doc in &docs {
            same_as_before(doc.as_bytes());
        }
        same_as_before(b"<gpx><name>\xff\xfe ok</name><type>a\xc3</type></gpx>");
        same_as_before(b"<gpx><name>\xc3<![CDATA[\xa9]]></name></gpx>");
    }

    #[test]
    fn a_document_cut_anywhere_reads_as_before() {
        let doc = GPX.as_bytes();
        for len in 0..doc.len() {
            same_as_before(&doc[..len]);
        }
    }

    #[test]
    fn a_stream_reads_as_the_bytes_do_across_many_windows() {
        // Larger than one window, with a comment and a CDATA section larger than one too.
        let mut doc = String::from("<gpx><trk><trkseg>");
        for i in 0..20_000 {
            doc.push_str(&format!(
                "<trkpt lat=\"1\" lon=\"2\"><time>2026-05-01T06:{:02}:{:02}Z</time>\
                 <extensions><hr>{}</hr></extensions></trkpt>",
                i / 60 % 60,
                i % 60,
                100 + i % 50
            ));
            if i == 7_000 {
                doc.push_str(&format!("<!-- {} -->", "<x> ".repeat(100_000)));
            }
            if i == 9_000 {
                doc.push_str(&format!(
                    "<desc><![CDATA[{}]]></desc>",
                    "<y>".repeat(100_000)
                ));
            }
        }
        doc.push_str("</trkseg></trk></gpx>");
        assert!(doc.len() > 3 * WINDOW);
        let whole = lines(Input::Bytes(doc.as_bytes()));
        assert_eq!(whole.1, None);
        assert_eq!(lines(Input::Stream(&mut doc.as_bytes())), whole);
        let cut = &doc.as_bytes()[..doc.len() - 100];
        assert_eq!(
            lines(Input::Stream(&mut &cut[..])),
            lines(Input::Bytes(cut))
        );
    }

    #[test]
    fn the_stream_never_expands_a_declared_entity() {
        let doc =
            b"<!DOCTYPE gpx [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]><gpx>&b;</gpx>";
        let err = walk(Input::Bytes(&doc[..]), |_, _| {})
            .expect("a document declaring entities is refused");
        assert!(err.contains("never expanded"), "{err}");
    }

    #[test]
    fn an_undeclared_entity_reads_as_nothing_usable() {
        let doc = b"<gpx><time>&lol9;</time></gpx>";
        let mut seen = None;
        let stopped = walk(Input::Bytes(&doc[..]), |item, s| {
            if item == Item::End && s.closed() == b"time" {
                seen = Some(s.text().to_string());
            }
        });
        assert_eq!(stopped, None);
        assert_eq!(seen.as_deref(), Some("\u{FFFD}"));
    }

    #[test]
    fn a_document_cut_short_is_reported_where_it_ends() {
        let doc = b"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>2024";
        let err = walk(Input::Bytes(&doc[..]), |_, _| {}).expect("not complete");
        assert!(
            err.contains("cut short") || err.contains("well-formed"),
            "{err}"
        );
    }
}

//! A minimal XML writer into a `String` buffer.

use super::{escape_attr_into, escape_text_into, Scalar};

/// Writes XML into a string buffer. Element and attribute names are written as given
/// (they are trusted, schema-derived); text and attribute values are escaped.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: String,
    next_xmlns: Option<String>,
    shape: Shape,
}

/// Which version of an interface a writer answers in. Generated encoders read it to leave out
/// what that version lacks, so one set of types can answer every version. `Shape(0)`, the
/// default, is the newest version and leaves nothing out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape(pub u8);

impl Writer {
    pub fn new() -> Writer {
        Writer {
            buf: String::with_capacity(1024),
            next_xmlns: None,
            shape: Shape::default(),
        }
    }

    /// The same writer, answering in `shape`.
    pub fn with_shape(mut self, shape: Shape) -> Writer {
        self.shape = shape;
        self
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// A writer whose buffer starts with `<?xml version="1.0" encoding="UTF-8"?>`.
    pub fn with_declaration() -> Writer {
        let mut w = Writer::new();
        w.buf.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        w
    }

    /// Makes the next start tag declare `ns` as its default namespace.
    pub fn next_start_xmlns(&mut self, ns: &str) {
        self.next_xmlns = Some(ns.to_owned());
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.buf.push('<');
        self.buf.push_str(name);
        if let Some(ns) = self.next_xmlns.take() {
            self.buf.push_str(" xmlns=\"");
            escape_attr_into(&mut self.buf, &ns);
            self.buf.push('"');
        }
        for (k, v) in attrs {
            self.buf.push(' ');
            self.buf.push_str(k);
            self.buf.push_str("=\"");
            escape_attr_into(&mut self.buf, v);
            self.buf.push('"');
        }
        self.buf.push('>');
    }

    pub fn end(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// Escaped character data.
    pub fn text(&mut self, s: &str) {
        escape_text_into(&mut self.buf, s);
    }

    /// `<name>value</name>`.
    pub fn scalar<T: Scalar>(&mut self, name: &str, value: &T) {
        self.start(name, &[]);
        value.write_xml(&mut self.buf);
        self.end(name);
    }

    /// `<name>text</name>` with `text` escaped.
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.start(name, &[]);
        self.text(text);
        self.end(name);
    }

    /// Appends `s` unescaped (it must be well-formed XML).
    pub fn raw(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    pub fn as_str(&self) -> &str {
        &self.buf
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Truncates the buffer back to `len` bytes (e.g. to discard a partly written element).
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    pub fn into_string(self) -> String {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut w = Writer::with_declaration();
        w.start("a", &[("k", "x\"<&>\n\t\r")]);
        w.text("1 < 2 & \"3\" > 0\n\t\r\u{1}\u{7f}é");
        w.end("a");
        assert_eq!(
            w.into_string(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a k=\"x&quot;&lt;&amp;&gt;&#10;&#9;&#13;\">1 &lt; 2 &amp; &quot;3&quot; &gt; 0\n\t&#13;\u{FFFD}\u{7f}é</a>"
        );
    }

    #[test]
    fn scalar_and_xmlns() {
        let mut w = Writer::new();
        w.next_start_xmlns("urn:x");
        w.start("Root", &[]);
        w.scalar("N", &42i32);
        w.scalar("S", &"a&b".to_string());
        w.scalar("B", &true);
        w.start("E", &[]);
        w.end("E");
        w.raw("<x/>");
        w.end("Root");
        assert_eq!(
            w.as_str(),
            "<Root xmlns=\"urn:x\"><N>42</N><S>a&amp;b</S><B>true</B><E></E><x/></Root>"
        );
    }
}

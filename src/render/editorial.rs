//! Editorial marks in transcriptions (录文): `□` stands for a character the
//! editor could not read, `〔…〕` encloses the editor's own note. Both are
//! wrapped in spans so the theme can set them apart from the original
//! text, and so screen readers announce illegible characters as such
//! rather than as "white square".

/// Which marks a transcription uses, so the page can explain them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Marks {
    pub illegible: bool,
    pub notes: bool,
}

/// Wraps the editorial marks in the text of `html` (never inside a tag or
/// an attribute). A `〔` without its `〕` in the same run of text is left
/// as it is, as the note would otherwise swallow markup.
pub fn mark(html: &str) -> (String, Marks) {
    let mut out = String::with_capacity(html.len() + 64);
    let mut marks = Marks::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            Some(start) => {
                mark_text(&rest[..start], &mut out, &mut marks);
                rest = &rest[start..];
            }
            None => {
                mark_text(rest, &mut out, &mut marks);
                rest = "";
            }
        }
    }
    (out, marks)
}

fn mark_text(text: &str, out: &mut String, marks: &mut Marks) {
    let mut rest = text;
    while !rest.is_empty() {
        let note = find(rest, "〔")
            .and_then(|open| find(&rest[open..], "〕").map(|len| (open, open + len + "〕".len())));
        let square = find(rest, "□");
        match (note, square) {
            (Some((open, close)), square) if square.is_none_or(|s| open < s) => {
                out.push_str(&rest[..open]);
                out.push_str("<span class=\"ed-note\">");
                out.push_str(&rest[open..close]);
                out.push_str("</span>");
                marks.notes = true;
                rest = &rest[close..];
            }
            (_, Some(start)) => {
                out.push_str(&rest[..start]);
                let run = rest[start..]
                    .find(|c| c != '□')
                    .map_or(rest.len() - start, |n| n);
                let count = rest[start..start + run].chars().count();
                // An image role with a label, rather than hidden text, so that
                // copying the transcription copies the squares alone.
                out.push_str(&format!(
                    "<span class=\"ed-illegible\" role=\"img\" aria-label=\"{count}字无法辨识\">{}</span>",
                    &rest[start..start + run]
                ));
                marks.illegible = true;
                rest = &rest[start + run..];
            }
            _ => {
                out.push_str(rest);
                rest = "";
            }
        }
    }
}

/// Where `needle` first occurs in `haystack`. Searching for the bytes of
/// a CJK character as a string: as a `char`, the search stops at every
/// byte equal to its last byte, which in Chinese text is most of them.
fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_illegible_characters_are_wrapped() {
        let (html, marks) = mark("<p>□□□〔此处漫漶〕之后</p>");
        assert_eq!(
            html,
            "<p><span class=\"ed-illegible\" role=\"img\" aria-label=\"3字无法辨识\">□□□</span><span class=\"ed-note\">〔此处漫漶〕</span>之后</p>"
        );
        assert_eq!(
            marks,
            Marks {
                illegible: true,
                notes: true
            }
        );
    }

    #[test]
    fn tags_attributes_and_unclosed_notes_are_left_alone() {
        let source = "<img alt=\"□〔x〕\"><p>〔未完<em>强调</em>〕</p>";
        let (html, marks) = mark(source);
        assert_eq!(html, source);
        assert_eq!(marks, Marks::default());
    }
}

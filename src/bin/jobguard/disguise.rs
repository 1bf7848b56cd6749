//! `jobguard eval --disguise`: the ways scam ads hide their words from filters, applied to labelled texts so
//! that `eval` can measure how much recall each costs.

/// A way of disguising a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Disguise {
    /// A zero-width space after every character inside each word (`텔\u{200B}레\u{200B}그\u{200B}램`).
    Invisible,
    /// Every second word spelled out letter by letter with spaces (`텔 레 그 램`, `t e l e g r a m`).
    Spaced,
    /// ASCII letters and digits in their full-width forms (`ｔｅｌｅｇｒａｍ ３０００`).
    Fullwidth,
}

impl Disguise {
    /// The text disguised.
    pub fn apply(self, text: &str) -> String {
        match self {
            Disguise::Invisible => {
                let mut out = String::with_capacity(text.len() * 2);
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    out.push(c);
                    if c.is_alphanumeric() && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                        out.push('\u{200B}');
                    }
                }
                out
            }
            Disguise::Spaced => {
                let mut out = String::with_capacity(text.len() * 2);
                for (i, word) in text.split(' ').enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    if i % 2 == 1 {
                        let letters: Vec<String> = word.chars().map(String::from).collect();
                        out.push_str(&letters.join(" "));
                    } else {
                        out.push_str(word);
                    }
                }
                out
            }
            Disguise::Fullwidth => text
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Disguise;

    #[test]
    fn each_disguise_changes_the_text_as_named() {
        assert_eq!(Disguise::Invisible.apply("텔레 ab"), "텔\u{200B}레 a\u{200B}b");
        assert_eq!(Disguise::Spaced.apply("contact me telegram now"), "contact m e telegram n o w");
        assert_eq!(Disguise::Fullwidth.apply("Tg 30만원"), "Ｔｇ ３０만원");
    }
}

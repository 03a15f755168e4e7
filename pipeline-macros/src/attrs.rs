//! `key = value, …` lists, as in `#[component(version = "1", code = "prep")]`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Ident, Lit, LitBool, LitStr, Token};

/// One `key = value` (or a bare `key`, which means `key = true`).
pub(crate) struct Entry {
    pub(crate) key: Ident,
    pub(crate) value: Expr,
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        let value = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            if input.peek(syn::token::Paren) {
                table_expr(input)?
            } else {
                input.parse()?
            }
        } else {
            Expr::Lit(ExprLit {
                attrs: Vec::new(),
                lit: Lit::Bool(LitBool::new(true, key.span())),
            })
        };
        Ok(Entry { key, value })
    }
}

/// `(a = 1, type = "x")`, keys that are keywords included, as a tuple of assignments.
fn table_expr(input: ParseStream) -> syn::Result<Expr> {
    let content;
    let paren = syn::parenthesized!(content in input);
    let mut elems = Punctuated::<Expr, Token![,]>::new();
    while !content.is_empty() {
        let key: Ident = content.call(syn::ext::IdentExt::parse_any)?;
        let eq: Token![=] = content.parse()?;
        let right: Expr = content.parse()?;
        elems.push(Expr::Assign(syn::ExprAssign {
            attrs: Vec::new(),
            left: Box::new(Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: key.into(),
            })),
            eq_token: eq,
            right: Box::new(right),
        }));
        if content.is_empty() {
            break;
        }
        elems.push_punct(content.parse()?);
    }
    Ok(Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: paren,
        elems,
    }))
}

/// The entries of an attribute, with every problem collected.
pub(crate) struct Entries {
    entries: Vec<Entry>,
}

impl Entries {
    pub(crate) fn parse(tokens: TokenStream) -> syn::Result<Self> {
        let list = Punctuated::<Entry, Token![,]>::parse_terminated.parse2(tokens)?;
        Ok(Entries {
            entries: list.into_iter().collect(),
        })
    }

    /// Shows every key to `see` first (before any is read).
    pub(crate) fn read_keys(self, see: &mut dyn FnMut(&Ident)) -> Self {
        for e in &self.entries {
            see(&e.key);
        }
        self
    }

    /// Reads every entry with `read`, which says whether it knew the key; unknown keys and
    /// repeated keys are errors naming the keys allowed.
    pub(crate) fn read(
        self,
        allowed: &[&str],
        errors: &mut Errors,
        mut read: impl FnMut(&str, &Expr, &mut Errors),
    ) {
        let mut seen: Vec<String> = Vec::new();
        for Entry { key, value } in self.entries {
            let name = key.to_string();
            if !allowed.contains(&name.as_str()) {
                errors.push(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown setting `{name}`; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
                continue;
            }
            if seen.contains(&name) {
                errors.push(syn::Error::new(
                    key.span(),
                    format!("`{name}` is set twice"),
                ));
                continue;
            }
            seen.push(name.clone());
            read(&name, &value, errors);
        }
    }
}

/// Errors collected while reading a macro's input: all are reported at once.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.0
            .as_ref()
            .map(syn::Error::to_compile_error)
            .unwrap_or_default()
    }
}

/// A string literal, or an error saying one was expected.
pub(crate) fn string(value: &Expr, key: &str, errors: &mut Errors) -> Option<LitStr> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.clone()),
        other => {
            errors.push(syn::Error::new_spanned(
                other,
                format!("`{key}` takes a string literal, such as `{key} = \"…\"`"),
            ));
            None
        }
    }
}

/// A boolean literal, or an error saying one was expected.
pub(crate) fn boolean(value: &Expr, key: &str, errors: &mut Errors) -> Option<LitBool> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.clone()),
        other => {
            errors.push(syn::Error::new_spanned(
                other,
                format!("`{key}` takes `true` or `false`"),
            ));
            None
        }
    }
}

/// An array of string pairs: `tags = [("team", "ml"), …]`.
pub(crate) fn pairs(value: &Expr, key: &str, errors: &mut Errors) -> Vec<(LitStr, LitStr)> {
    let bad = |errors: &mut Errors, e: &dyn quote::ToTokens| {
        errors.push(syn::Error::new_spanned(
            e,
            format!("`{key}` takes an array of string pairs: `{key} = [(\"name\", \"value\")]`"),
        ));
    };
    let Expr::Array(array) = value else {
        bad(errors, value);
        return Vec::new();
    };
    let mut out = Vec::new();
    for element in &array.elems {
        match element {
            Expr::Tuple(t) if t.elems.len() == 2 => {
                let mut it = t.elems.iter();
                match (it.next(), it.next()) {
                    (
                        Some(Expr::Lit(ExprLit {
                            lit: Lit::Str(k), ..
                        })),
                        Some(Expr::Lit(ExprLit {
                            lit: Lit::Str(v), ..
                        })),
                    ) => out.push((k.clone(), v.clone())),
                    _ => bad(errors, element),
                }
            }
            _ => bad(errors, element),
        }
    }
    out
}

/// The doc comment's text, lines joined as rustdoc shows them, without the leading space.
pub(crate) fn doc(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).trim_end().to_owned())
        .collect();
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// An integer literal (`-1` included), or an error saying one was expected.
pub(crate) fn integer(value: &Expr, key: &str, errors: &mut Errors) -> Option<Expr> {
    let is_int = match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(_), ..
        }) => true,
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            matches!(
                &*u.expr,
                Expr::Lit(ExprLit {
                    lit: Lit::Int(_),
                    ..
                })
            )
        }
        _ => false,
    };
    if is_int {
        Some(value.clone())
    } else {
        errors.push(syn::Error::new_spanned(
            value,
            format!("`{key}` takes an integer"),
        ));
        None
    }
}

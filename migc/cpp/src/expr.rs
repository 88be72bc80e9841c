//! Evaluating the controlling expression of `#if` and `#elif`, after macro expansion.
//!
//! C's rules: arithmetic in `intmax_t`/`uintmax_t` (here `i64`/`u64`, wrapping on overflow as GCC
//! does), an operation is unsigned when either operand is, identifiers that are left after expansion
//! are 0, `&&`, `||` and `?:` do not evaluate the side they skip (so `0 && 1/0` is fine), and `/` or `%`
//! by zero in an evaluated operand is an error at the operator.

use crate::lex::{Interner, Kind, Token, UNTERMINATED};

/// Why an expression could not be evaluated; `at` is `None` for "at the end of the expression".
#[derive(Debug)]
pub(crate) struct ExprError {
    pub at: Option<Token>,
    pub message: String,
    pub label: String,
    pub secondary: Option<(Token, String)>,
}

fn error(at: Option<Token>, message: impl Into<String>, label: impl Into<String>) -> Box<ExprError> {
    Box::new(ExprError { at, message: message.into(), label: label.into(), secondary: None })
}

/// An integer of the preprocessor: `intmax_t` or `uintmax_t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Value {
    bits: i64,
    unsigned: bool,
}

impl Value {
    fn signed(bits: i64) -> Self {
        Value { bits, unsigned: false }
    }

    fn truth(b: bool) -> Self {
        Value::signed(b as i64)
    }

    fn is_true(self) -> bool {
        self.bits != 0
    }
}

/// Deep enough for any real expression, shallow enough that fuzzed input cannot overflow the stack.
const MAX_DEPTH: usize = 256;

/// Evaluates a fully macro-expanded `#if` expression (with `defined` already replaced by 0 or 1).
pub(crate) fn evaluate(tokens: &[Token], interner: &Interner) -> Result<bool, Box<ExprError>> {
    let mut parser = Parser { tokens, pos: 0, interner, depth: 0 };
    if tokens.is_empty() {
        return Err(error(None, "expected an expression after `#if`", "expected an expression"));
    }
    let value = parser.expression(1, true)?;
    if let Some(&t) = tokens.get(parser.pos) {
        let label =
            if t.is_punct(crate::lex::RPAREN) { "this `)` has no `(`" } else { "expected an operator" };
        return Err(error(
            Some(t),
            format!("missing binary operator before token `{}`", interner.get(t.sym)),
            label,
        ));
    }
    Ok(value.is_true())
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    interner: &'a Interner,
    depth: usize,
}

/// Binary operators and their precedence (higher binds tighter); `?` stands for the conditional.
fn binary_precedence(op: &str) -> Option<u8> {
    Some(match op {
        "," => 1,
        "?" => 2,
        "||" => 3,
        "&&" => 4,
        "|" => 5,
        "^" => 6,
        "&" => 7,
        "==" | "!=" => 8,
        "<" | ">" | "<=" | ">=" => 9,
        "<<" | ">>" => 10,
        "+" | "-" => 11,
        "*" | "/" | "%" => 12,
        _ => return None,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    /// An error for a missing `what` at the current token, or after the last one at the end.
    fn expected(&self, message: &str, what: &str) -> Box<ExprError> {
        match self.peek() {
            Some(t) => error(Some(t), message, format!("expected {what}")),
            None => error(self.tokens.last().copied(), message, format!("expected {what} after this")),
        }
    }

    fn spelling(&self, t: Token) -> &str {
        self.interner.get(t.sym)
    }

    fn peek_punct(&self) -> Option<(Token, &str)> {
        let t = self.peek().filter(|t| t.kind == Kind::Punct)?;
        Some((t, self.spelling(t)))
    }

    /// Parses operators of precedence `min` and up. `eval` is false inside an operand that C does not
    /// evaluate, where division by zero is no error.
    fn expression(&mut self, min: u8, eval: bool) -> Result<Value, Box<ExprError>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error(self.peek(), "expression nested too deeply in `#if`", ""));
        }
        let mut lhs = self.unary(eval)?;
        while let Some((op_token, op)) = self.peek_punct() {
            let Some(prec) = binary_precedence(op) else { break };
            if prec < min {
                break;
            }
            let op = op.to_string();
            self.pos += 1;
            lhs = match op.as_str() {
                "?" => {
                    let then_value = self.expression(1, eval && lhs.is_true())?;
                    match self.peek_punct() {
                        Some((_, ":")) => self.pos += 1,
                        _ => {
                            let mut e = self.expected("expected `:` in conditional expression", "`:`");
                            e.secondary = Some((op_token, "for this `?`".into()));
                            return Err(e);
                        }
                    }
                    // Right-associative: `a ? b : c ? d : e`.
                    let else_value = self.expression(2, eval && !lhs.is_true())?;
                    let chosen = if lhs.is_true() { then_value } else { else_value };
                    Value { bits: chosen.bits, unsigned: then_value.unsigned || else_value.unsigned }
                }
                "||" => {
                    let rhs = self.expression(prec + 1, eval && !lhs.is_true())?;
                    Value::truth(lhs.is_true() || rhs.is_true())
                }
                "&&" => {
                    let rhs = self.expression(prec + 1, eval && lhs.is_true())?;
                    Value::truth(lhs.is_true() && rhs.is_true())
                }
                "," => self.expression(prec + 1, eval)?,
                _ => {
                    let rhs = self.expression(prec + 1, eval)?;
                    binary(&op, lhs, rhs, eval).map_err(|message| error(Some(op_token), message, ""))?
                }
            };
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn unary(&mut self, eval: bool) -> Result<Value, Box<ExprError>> {
        let Some(t) = self.peek() else {
            let after = self.pos.checked_sub(1).map(|i| self.tokens[i]);
            return Err(error(
                after,
                "expected a value at the end of the expression",
                "expected a value after this",
            ));
        };
        self.pos += 1;
        match t.kind {
            Kind::Number => parse_number(self.spelling(t)).map_err(|m| error(Some(t), m, "")),
            Kind::Char => parse_char(t, self.spelling(t)).map_err(|m| error(Some(t), m, "")),
            // Identifiers that survive macro expansion (and `true`/`false`, which are C++) are 0.
            Kind::Ident => Ok(Value::signed(0)),
            Kind::Punct => match self.spelling(t) {
                "(" => {
                    let value = self.expression(1, eval)?;
                    match self.peek_punct() {
                        Some((_, ")")) => {
                            self.pos += 1;
                            Ok(value)
                        }
                        _ => {
                            let mut e = self.expected("missing `)` in expression", "`)`");
                            e.secondary = Some((t, "to close this `(`".into()));
                            Err(e)
                        }
                    }
                }
                op @ ("+" | "-" | "~" | "!") => {
                    let op = op.to_string();
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(error(Some(t), "expression nested too deeply in `#if`", ""));
                    }
                    let v = self.unary(eval)?;
                    self.depth -= 1;
                    Ok(match op.as_str() {
                        "+" => v,
                        "-" => Value { bits: v.bits.wrapping_neg(), unsigned: v.unsigned },
                        "~" => Value { bits: !v.bits, unsigned: v.unsigned },
                        _ => Value::truth(!v.is_true()),
                    })
                }
                other => Err(error(
                    Some(t),
                    format!("expected a value in `#if`, found `{other}`"),
                    "not a value or a unary operator",
                )),
            },
            _ => Err(error(
                Some(t),
                format!("token `{}` is not valid in preprocessor expressions", self.spelling(t)),
                "",
            )),
        }
    }
}

fn binary(op: &str, lhs: Value, rhs: Value, eval: bool) -> Result<Value, String> {
    let unsigned = lhs.unsigned || rhs.unsigned;
    let (a, b) = (lhs.bits, rhs.bits);
    let (ua, ub) = (a as u64, b as u64);
    let arith = |bits: i64| Value { bits, unsigned };
    Ok(match op {
        "*" => arith(a.wrapping_mul(b)),
        "/" | "%" => {
            if b == 0 {
                if eval {
                    let what = if op == "/" { "division" } else { "remainder" };
                    return Err(format!("{what} by zero in `#if`"));
                }
                return Ok(arith(0));
            }
            match (op, unsigned) {
                ("/", true) => arith((ua / ub) as i64),
                ("/", false) => arith(a.wrapping_div(b)),
                (_, true) => arith((ua % ub) as i64),
                (_, false) => arith(a.wrapping_rem(b)),
            }
        }
        "+" => arith(a.wrapping_add(b)),
        "-" => arith(a.wrapping_sub(b)),
        // The result of a shift has the left operand's type; a negative count shifts the other way.
        "<<" | ">>" => {
            let left = (op == "<<") == (b >= 0 || rhs.unsigned);
            let count = if b < 0 && !rhs.unsigned { b.unsigned_abs() } else { ub };
            let bits = if left {
                if count >= 64 { 0 } else { a.wrapping_shl(count as u32) }
            } else if lhs.unsigned {
                if count >= 64 { 0 } else { (ua >> count) as i64 }
            } else if count >= 64 {
                if a < 0 { -1 } else { 0 }
            } else {
                a >> count
            };
            Value { bits, unsigned: lhs.unsigned }
        }
        "<" => Value::truth(if unsigned { ua < ub } else { a < b }),
        ">" => Value::truth(if unsigned { ua > ub } else { a > b }),
        "<=" => Value::truth(if unsigned { ua <= ub } else { a <= b }),
        ">=" => Value::truth(if unsigned { ua >= ub } else { a >= b }),
        "==" => Value::truth(a == b),
        "!=" => Value::truth(a != b),
        "&" => arith(a & b),
        "^" => arith(a ^ b),
        "|" => arith(a | b),
        _ => return Err(format!("unknown operator `{op}`")),
    })
}

/// An integer constant: decimal, octal, hex or (GNU) binary, with `u`/`l`/`ll` suffixes.
fn parse_number(text: &str) -> Result<Value, String> {
    let lower = text.to_ascii_lowercase();
    let (radix, digits_and_suffix) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.starts_with('0') {
        (8, &lower[..])
    } else {
        (10, &lower[..])
    };
    let floating = lower.contains('.')
        || (radix == 10 && lower.contains('e'))
        || (radix == 8 && lower.contains('e'))
        || (radix == 16 && lower.contains('p'));
    if floating {
        return Err(format!("floating constant `{text}` in preprocessor expression"));
    }
    let digits_end = digits_and_suffix
        .find(|c: char| !c.is_ascii_hexdigit() || (radix != 16 && c.is_ascii_alphabetic()))
        .unwrap_or(digits_and_suffix.len());
    let (digits, suffix) = digits_and_suffix.split_at(digits_end);
    let unsigned_suffix = match suffix {
        "" | "l" | "ll" => false,
        "u" | "ul" | "lu" | "ull" | "llu" => true,
        _ => {
            return Err(format!(
                "invalid suffix `{}` on integer constant `{text}`",
                &text[text.len() - suffix.len()..]
            ));
        }
    };
    if digits.is_empty() && radix != 8 {
        return Err(format!("invalid integer constant `{text}`"));
    }
    let mut value: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(16).unwrap_or(99);
        if d >= radix {
            let base = match radix {
                2 => "binary",
                8 => "octal",
                _ => "decimal",
            };
            return Err(format!("invalid digit `{c}` in {base} constant `{text}`"));
        }
        value = value
            .checked_mul(radix as u64)
            .and_then(|v| v.checked_add(d as u64))
            .ok_or_else(|| format!("integer constant `{text}` is too large for its type"))?;
    }
    // A constant too big for intmax_t is unsigned (for decimals GCC warns; the value is the same).
    let unsigned = unsigned_suffix || value > i64::MAX as u64;
    Ok(Value { bits: value as i64, unsigned })
}

/// A character constant: its value as GCC computes it for x86 (plain `char` is signed, several
/// characters pack into an `int`).
fn parse_char(t: Token, text: &str) -> Result<Value, String> {
    if t.flags & UNTERMINATED != 0 {
        return Err("missing terminating `'` character".into());
    }
    let quote = text.find('\'').unwrap_or(0);
    let wide = quote > 0;
    let body = &text[quote + 1..text.len() - 1];
    let mut units: Vec<u32> = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if wide {
                units.push(c as u32);
            } else {
                let mut buf = [0u8; 4];
                units.extend(c.encode_utf8(&mut buf).bytes().map(u32::from));
            }
            continue;
        }
        let Some(e) = chars.next() else { break };
        let value = match e {
            'n' => 10,
            't' => 9,
            'r' => 13,
            'a' => 7,
            'b' => 8,
            'f' => 12,
            'v' => 11,
            'e' | 'E' => 27,
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                v
            }
            'x' | 'u' | 'U' => {
                let mut v: u32 = 0;
                let mut any = false;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(16)) {
                    v = v.wrapping_mul(16).wrapping_add(d);
                    any = true;
                    chars.next();
                }
                if !any {
                    return Err(format!("`\\{e}` used with no following hex digits"));
                }
                v
            }
            other => other as u32,
        };
        units.push(value);
    }
    let Some(&last) = units.last() else {
        return Err("empty character constant".into());
    };
    if wide {
        return Ok(Value::signed(last as i32 as i64));
    }
    if units.len() == 1 {
        return Ok(Value::signed(last as u8 as i8 as i64));
    }
    let packed = units.iter().fold(0u32, |acc, &u| (acc << 8) | (u & 0xff));
    Ok(Value::signed(packed as i32 as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("0x1F").unwrap(), Value::signed(31));
        assert_eq!(parse_number("017").unwrap(), Value::signed(15));
        assert_eq!(parse_number("0").unwrap(), Value::signed(0));
        assert_eq!(parse_number("0b101").unwrap(), Value::signed(5));
        assert_eq!(parse_number("10UL").unwrap(), Value { bits: 10, unsigned: true });
        assert_eq!(parse_number("0xffffffffffffffff").unwrap(), Value { bits: -1, unsigned: true });
        assert!(parse_number("1.5").unwrap_err().contains("floating"));
        assert!(parse_number("09").unwrap_err().contains("invalid digit `9` in octal"));
        assert!(parse_number("12q").unwrap_err().contains("invalid suffix `q`"));
        assert!(parse_number("99999999999999999999").unwrap_err().contains("too large"));
    }

    #[test]
    fn arithmetic_follows_c() {
        let s = Value::signed;
        assert_eq!(binary("-", s(1), s(2), true).unwrap(), s(-1));
        // -1 < 0u is false: the comparison is unsigned.
        assert_eq!(binary("<", s(-1), Value { bits: 0, unsigned: true }, true).unwrap(), s(0));
        assert_eq!(binary(">>", s(-8), s(1), true).unwrap(), s(-4));
        assert_eq!(binary("<<", s(1), s(-1), true).unwrap(), s(0));
        assert!(binary("%", s(1), s(0), true).unwrap_err().contains("remainder by zero"));
        assert_eq!(binary("/", s(1), s(0), false).unwrap(), s(0));
    }
}

//! The constraining facets of a simple type restriction (`xs:enumeration`, `xs:pattern`, the
//! lengths and bounds), read into one more layer of its type.

use crate::schema::datatypes::Whitespace;
use crate::schema::simple::{Facets, SimpleType};
use crate::schema::xsd_regex;
use crate::xml::Element;

/// Restricts `st` by the facet elements of one `xs:restriction`.
pub(super) fn restrict(st: &mut SimpleType, facets: &[&Element]) -> Result<(), String> {
    let mut f = Facets::default();
    let mut any = false;
    // whiteSpace first: it decides how the enumeration values are read.
    for c in facets {
        if c.name == "whiteSpace" {
            st.whitespace = match c.attr("value") {
                Some("preserve") => Whitespace::Preserve,
                Some("replace") => Whitespace::Replace,
                _ => Whitespace::Collapse,
            };
        }
    }
    for c in facets {
        let value = || {
            c.attr("value")
                .ok_or_else(|| format!("line {}: xs:{} without a value", c.line, c.name))
        };
        let number = || -> Result<usize, String> {
            value()?
                .trim()
                .parse()
                .map_err(|_| format!("line {}: xs:{} needs a number", c.line, c.name))
        };
        any = true;
        match c.name.as_str() {
            "enumeration" => f.enumeration.push(st.whitespace.apply(value()?)),
            "pattern" => {
                let p = value()?;
                f.patterns.push((
                    p.to_string(),
                    xsd_regex::compile(p).map_err(|e| format!("line {}: {e}", c.line))?,
                ));
            }
            "length" => f.length = Some(number()?),
            "minLength" => f.min_length = Some(number()?),
            "maxLength" => f.max_length = Some(number()?),
            "totalDigits" => f.total_digits = Some(number()?),
            "fractionDigits" => f.fraction_digits = Some(number()?),
            "minInclusive" => f.min_inclusive = Some(value()?.trim().to_string()),
            "maxInclusive" => f.max_inclusive = Some(value()?.trim().to_string()),
            "minExclusive" => f.min_exclusive = Some(value()?.trim().to_string()),
            "maxExclusive" => f.max_exclusive = Some(value()?.trim().to_string()),
            "whiteSpace" => {}
            other => {
                return Err(format!(
                    "line {}: facet xs:{other} is not supported",
                    c.line
                ))
            }
        }
    }
    if any {
        st.layers.push(f);
    }
    Ok(())
}

//! Domain values parsed once at the edge: an email address, a role, a participation status,
//! a language. Inside the services a value of these types is valid by construction.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

/// A normalised (trimmed, lower-case) email address of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("required");
        }
        let valid = email.len() <= 254
            && !email.contains(char::is_whitespace)
            && !email.contains(['<', '>', ',', ';', '"', '(', ')'])
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Email(email))
        } else {
            Err("invalid_email")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn field(raw: &str, field: &str) -> Result<Self, FieldError> {
        Email::parse(raw).map_err(|code| {
            FieldError::new(
                field,
                code,
                if code == "required" {
                    "an email address is required"
                } else {
                    "not a valid email address"
                },
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Organiser,
    Facilitator,
    Supplier,
    Buyer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Facilitator => "facilitator",
            Role::Supplier => "supplier",
            Role::Buyer => "buyer",
        }
    }

    /// Reads a role as people write it in a spreadsheet, in English or Dutch.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "organiser" | "organizer" | "organisator" | "organisatie" => Some(Role::Organiser),
            "facilitator" | "moderator" => Some(Role::Facilitator),
            "supplier" | "aanbieder" | "leverancier" => Some(Role::Supplier),
            "buyer" | "koper" | "aankoper" | "inkoper" => Some(Role::Buyer),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Invited,
    Registered,
    Approved,
    Declined,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::Registered => "registered",
            Status::Approved => "approved",
            Status::Declined => "declined",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "invited" => Some(Status::Invited),
            "registered" => Some(Status::Registered),
            "approved" => Some(Status::Approved),
            "declined" => Some(Status::Declined),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }

    /// Whether a person with this status takes part (can see the event and log in to it).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Invited | Status::Registered | Status::Approved
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-be" | "nl-nl" | "dutch" | "nederlands" => Some(Lang::Nl),
            "en" | "en-gb" | "en-us" | "english" | "engels" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn pick(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// Trims a free-text input and checks its length; empty becomes `None`.
pub fn optional_text(
    raw: Option<&str>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|s| !s.is_empty())?;
    if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    Some(text.to_string())
}

/// A required free-text input.
pub fn required_text(raw: &str, field: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let text = raw.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, "required", "this field is required"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ann.Peeters@Example.BE ").unwrap().as_str(),
            "ann.peeters@example.be"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.be",
            "ann@x",
            "a b@x.be",
            "ann@x..be",
            "a@b@c.be",
            "<a@b.be>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_in_dutch_and_english() {
        assert_eq!(Role::parse("Aanbieder"), Some(Role::Supplier));
        assert_eq!(Role::parse("buyer"), Some(Role::Buyer));
        assert_eq!(Role::parse("koper"), Some(Role::Buyer));
        assert_eq!(Role::parse("chef"), None);
    }
}

//! Check-in codes: each participation has one, shown to the person (their own
//! participations in `GET /api/me`, the day-before email) and typed or scanned at the desk
//! on the event day. Eight characters from capitals and digits without the ones read
//! alike (0/O, 1/I/L): 31^8 codes, unique within an event (a unique index; a new code is
//! drawn until it is free).

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::participation;

const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 8;

/// A random code; [`unused_code`] makes sure it is free in the event.
pub fn new_code() -> String {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    // The modulo's small bias (256 = 8 x 31 + 8) does not matter for a desk code.
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A code nobody in the event has yet, inside the caller's transaction (the unique index
/// refuses the astronomically rare race of two at once).
pub async fn unused_code<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<String, DbErr> {
    loop {
        let code = new_code();
        let taken = participation::Entity::find()
            .filter(participation::Column::EventId.eq(event_id))
            .filter(participation::Column::CheckinCode.eq(code.as_str()))
            .count(db)
            .await?;
        if taken == 0 {
            return Ok(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_unambiguous_characters() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "{code}"
            );
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}

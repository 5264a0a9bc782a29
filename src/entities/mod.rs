//! sea-orm entities: plain data, one module per table. Behaviour lives in the services.
//! Columns holding a role, status, state or kind are typed with the values of
//! [`crate::domain`], so an unknown stored value fails the read loudly.

pub mod announcement;
pub mod buyer_need;
pub mod calendar_feed;
pub mod event;
pub mod factsheet;
pub mod factsheet_version;
pub mod housekeeping_lease;
pub mod live_message;
pub mod live_ticket;
pub mod login_request;
pub mod login_token;
pub mod mail_outbox;
pub mod mail_preference;
pub mod meeting;
pub mod meeting_hold;
pub mod meeting_notice;
pub mod meeting_notice_choice;
pub mod meeting_request;
pub mod meeting_rules;
pub mod meeting_table;
pub mod meeting_tally;
pub mod organisation;
pub mod organisation_grant;
pub mod organisation_request;
pub mod organiser_appointment;
pub mod participation;
pub mod person;
pub mod programme_session;
pub mod room;
pub mod schedule_run;
pub mod session;
pub mod session_facilitator;
pub mod session_pitch;
pub mod session_question;
pub mod session_signup;
pub mod session_signup_log;
pub mod slot;
pub mod taxonomy_term;
pub mod unavailable_slot;
pub mod upload;

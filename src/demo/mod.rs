//! `matchfloor demo`: a realistic Buyer meets Supplier afternoon in the shape of the source
//! documents: about 40 suppliers and 160 buyers from fictional Flemish and international
//! organisations, the default product groups, 12 meeting slots of 20 minutes, 16 tables,
//! rooms, a programme of market dialogues, pitches and a plenary with sign-ups
//! (`programme.rs`), and meeting requests with availability gaps (`meetings.rs`), beside
//! needs profiles that fit planted matches in the catalogue. Running it again changes
//! nothing and prints fresh links.

mod meetings;
mod programme;
mod schedule;

pub use meetings::{PLANTED_MATCHES, PlantedMatch};
pub use schedule::schedule;
use std::collections::HashMap;
use std::fmt::Write;

use chrono::{Datelike, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::service::{LinkPurpose, issue_link};
use crate::catalogue::content::FactsheetContent;
use crate::catalogue::needs::NeedsInput;
use crate::catalogue::service::{self as catalogue, Decision, ReviewInput, StandInput};
use crate::config::Settings;
use crate::domain::{Email, Lang, Role, Status};
use crate::entities::{buyer_need, event, factsheet, participation, person};
use crate::events::grid::{self, BreakInput, GenerateGrid};
use crate::events::service::{self as events, EventInput};
use crate::events::venue::{self, RoomInput, TableCount};
use crate::people::service::{PersonFields, find_or_create_person};
use crate::state::AppState;

pub const DEMO_SLUG: &str = "demo-buyer-meets-supplier";
const ADMIN_EMAIL: &str = "platform@matchfloor-demo.example";
const ORGANISER_EMAIL: &str = "els.vermeulen@circulair-vlaanderen.example";

const FIRST_NAMES: &[&str] = &[
    "An",
    "Bart",
    "Charlotte",
    "Dirk",
    "Elise",
    "Filip",
    "Griet",
    "Hans",
    "Ilse",
    "Jan",
    "Katrien",
    "Lieven",
    "Marie",
    "Nico",
    "Oona",
    "Pieter",
    "Quinten",
    "Roos",
    "Sven",
    "Tine",
    "Ugo",
    "Veerle",
    "Wout",
    "Xavier",
    "Yasmina",
    "Zeno",
    "Amélie",
    "Björn",
    "Chiara",
    "Daan",
    "Emma",
    "Farid",
    "Greta",
    "Henrik",
    "Inès",
    "Jonas",
    "Karim",
    "Lotte",
    "Mathis",
    "Nora",
];
const LAST_NAMES: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Van den Broeck",
    "Hermans",
    "Aerts",
    "Vermeersch",
    "Desmet",
    "Verstraete",
    "Schmidt",
    "Rossi",
    "Andersen",
    "Novak",
    "Dupont",
    "Van Damme",
    "Michiels",
    "Coppens",
    "Lemmens",
    "Verhoeven",
    "Bogaert",
    "De Clercq",
];
const SUPPLIER_ORGS: &[&str] = &[
    "ReMeubel",
    "Lumen as a Service",
    "Kringloop Kantoor",
    "Second Screen IT",
    "Vezelwerk Textiel",
    "BioBord",
    "Circa Catering",
    "PaperLoop",
    "ZorgRetour",
    "Modulo Bouw",
    "Tapijt Terug",
    "Refurb Office Benelux",
    "GreenGrid Lighting",
    "ReWear Workwear",
    "Houtkring",
    "Circular Chairs Europe",
    "DeviceCare",
    "Betonreus Hergebruik",
    "Nordic Reuse Partners",
    "Loop Packaging",
    "Groene Keuken Coöperatie",
    "Stoelenbank",
    "Matrix Refurb",
    "Repair Café Pro",
    "Urban Mining Labs",
    "ToGather Sharing",
    "Bureau Tweede Leven",
    "Textile Takeback Alliance",
    "Printless",
    "MedLoop Zorgmaterialen",
    "Kantoor in Abonnement",
    "Licht & Lease",
];
const BUYER_ORGS: &[&str] = &[
    "Stad Lindeveld",
    "Gemeente Kortbeek",
    "Provincie Zuiderkempen",
    "Vlaamse Dienst Facilitair Beheer",
    "Hogeschool Scheldeland",
    "Universiteit Meerdaal",
    "AZ Sint-Rafaël",
    "Woonzorgnet Leiestreek",
    "Intercommunale Waterland",
    "Havenbedrijf Noordkaai",
    "Politiezone Bergenland",
    "OCMW Rivierenhof",
    "Agentschap Wegen en Verkeer Oost",
    "De Vlaamse Spoorwegmaatschappij (fictief)",
    "Brouwerij De Drie Linden",
    "Bank Meridiaan",
    "Verzekeringen Zuidpool",
    "Telecom Kustlijn",
    "Retailgroep Korenmarkt",
    "Logistiek Delta",
    "Sociaal Woonbedrijf Ringland",
    "Scholengroep Nete",
    "Museumnetwerk Leie",
    "Sportcentrum Polder",
    "Provincie Westhoek-Noord",
    "Stad Mariabeek",
    "Gemeente Heidegem",
    "Vlaamse Milieuregie (fictief)",
    "Energiebedrijf Windkant",
    "Ziekenhuisnetwerk Maasland",
    "Cultuurcentrum De Spil",
    "Bouwgroep Kempenland",
    "European Facilities Office (fictional)",
    "Nederlandse Inkoopcentrale Zuid (fictief)",
    "Rijkswaterstaat Regio Oost (fictief)",
    "Port of Hanseburg",
    "Ville de Belleroche",
    "Kommune Nordvik",
    "Città di Montebello",
    "Gemeinde Sonnfeld",
];

struct DemoPerson {
    name: String,
    email: String,
    organisation: String,
    job_title: &'static str,
    language: Lang,
}

fn email_for(name: &str, organisation: &str) -> String {
    let clean = |s: &str| -> String {
        crate::events::service::slugify(s)
            .replace('-', "")
            .chars()
            .take(24)
            .collect()
    };
    let local = crate::events::service::slugify(name).replace('-', ".");
    format!("{local}@{}.example", clean(organisation))
}

fn people(count: usize, orgs: &[&str], offset: usize, titles: &[&'static str]) -> Vec<DemoPerson> {
    (0..count)
        .map(|i| {
            // Distinct (first, last) pairs for every j below 400, so no two demo people share a name.
            let j = i + offset;
            let first = FIRST_NAMES[j % FIRST_NAMES.len()];
            let last = LAST_NAMES[(j / FIRST_NAMES.len() * 11 + j) % LAST_NAMES.len()];
            let name = format!("{first} {last}");
            let organisation = orgs[i % orgs.len()].to_string();
            let international = organisation.contains("fictional")
                || [
                    "Port of", "Ville de", "Kommune", "Città", "Gemeinde", "Nordic", "Europe",
                    "Alliance",
                ]
                .iter()
                .any(|w| organisation.contains(w));
            DemoPerson {
                email: email_for(&name, &organisation),
                name,
                organisation,
                job_title: titles[i % titles.len()],
                language: if international { Lang::En } else { Lang::Nl },
            }
        })
        .collect()
}

/// The demo's buyers, in the order they are made.
fn demo_buyers() -> Vec<DemoPerson> {
    people(
        160,
        BUYER_ORGS,
        40,
        &[
            "Aankoper",
            "Duurzaamheidscoördinator",
            "Facility manager",
            "Procurement officer",
            "Diensthoofd aankoop",
        ],
    )
}

/// The email address of the demo buyer at `index` in the order the demo makes them (the
/// index of [`PlantedMatch::buyer`]).
pub fn buyer_email(index: usize) -> Option<String> {
    demo_buyers().into_iter().nth(index).map(|p| p.email)
}

async fn ensure_person(state: &AppState, p: &DemoPerson) -> anyhow::Result<person::Model> {
    let fields = PersonFields {
        name: p.name.clone(),
        email: Email::parse(&p.email)
            .map_err(|e| anyhow::anyhow!("demo email {}: {e}", p.email))?,
        organisation: Some(p.organisation.clone()),
        job_title: Some(p.job_title.to_string()),
        phone: None,
        language: p.language,
    };
    let (person, _) = find_or_create_person(&state.db, &fields, true)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if person.organisation_id.is_some() {
        return Ok(person);
    }
    crate::organisations::service::demo_member(&state.db, &person, &p.organisation)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    person::Entity::find_by_id(person.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo person {} vanished", p.email))
}

async fn join(
    state: &AppState,
    event_id: Uuid,
    person_id: Uuid,
    role: Role,
    status: Status,
) -> anyhow::Result<()> {
    let exists = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::PersonId.eq(person_id))
        .one(&state.db)
        .await?;
    if exists.is_none() {
        let now = Utc::now();
        participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            person_id: Set(person_id),
            role: Set(role),
            status: Set(status),
            checkin_code: Set(crate::people::checkin::unused_code(&state.db, event_id).await?),
            day_before_sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&state.db)
        .await?;
    }
    Ok(())
}

/// The needs profile of one of the first demo buyers.
struct DemoNeeds {
    product_groups: &'static [&'static str],
    strategies: &'static [&'static str],
    business_models: &'static [&'static str],
    what: &'static str,
    when: &'static str,
    budget: Option<(i64, i64)>,
    shared: bool,
}

/// Needs profiles of the first demo buyers, in the order the buyers are made. Each fits a
/// few factsheets of the demo catalogue clearly ([`PLANTED_MATCHES`] names them), by
/// product group, ambitions, business models and words, as a real buyer's would.
const DEMO_NEEDS: &[DemoNeeds] = &[
    DemoNeeds {
        product_groups: &["office-furniture"],
        strategies: &["A3", "C5", "D5"],
        business_models: &["refurbished-second-hand", "take-back", "repair-maintenance"],
        what: "Inrichting van het nieuwe administratief centrum: 350 werkplekken met gereviseerde bureaustoelen en bureaus, bij voorkeur met terugname van ons oude meubilair.",
        when: "Aanbesteding in Q2 2027",
        budget: Some((400_000, 650_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["lighting"],
        strategies: &["C2", "D6"],
        business_models: &["product-as-a-service", "lease-rent"],
        what: "Licht als dienst voor vier sporthallen en de stadsbibliotheek: LED-verlichting zonder investering, met onderhoud.",
        when: "Marktconsultatie voorjaar 2027",
        budget: None,
        shared: true,
    },
    DemoNeeds {
        product_groups: &["ict"],
        strategies: &["A3", "C1", "E3"],
        business_models: &["refurbished-second-hand", "repair-maintenance"],
        what: "Refurbished laptops for 1,200 students, with a new battery and repair service on campus.",
        when: "Framework contract from September 2027",
        budget: Some((600_000, 900_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["textiles-workwear"],
        strategies: &["B1", "E3"],
        business_models: &["recycled-biobased-material", "take-back"],
        what: "Werkkledij voor de technische dienst (180 medewerkers) uit gerecycleerde vezels, met terugname en recyclage van versleten kledij.",
        when: "Eind 2027",
        budget: Some((80_000, 120_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["catering-food", "paper-office-supplies"],
        strategies: &["A5", "E5", "B1"],
        business_models: &["sharing-pooling", "take-back", "recycled-biobased-material"],
        what: "Herbruikbare verpakkingen en servies in de personeelsrestaurants, en gerecycleerd kopieerpapier aan de onthaalbalies.",
        when: "Nog te bepalen",
        budget: None,
        shared: false,
    },
    DemoNeeds {
        product_groups: &["care"],
        strategies: &["A3", "C2", "D5"],
        business_models: &["refurbished-second-hand", "take-back", "lease-rent"],
        what: "Refurbished care beds, hoists and wheelchairs for three residential care homes, with a maintenance contract; reusable gowns.",
        when: "Tender in Q4 2027",
        budget: Some((250_000, 400_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["construction"],
        strategies: &["D1", "D4", "B1", "A3"],
        business_models: &["recycled-biobased-material", "refurbished-second-hand"],
        what: "Renovatie van een schoolgebouw met hergebruikte bouwmaterialen, gerecupereerd hout en een materialenpaspoort.",
        when: "Ontwerpfase 2027, uitvoering 2028",
        budget: Some((2_000_000, 3_500_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["office-furniture", "ict"],
        strategies: &["A1", "A2"],
        business_models: &["sharing-pooling", "lease-rent"],
        what: "Een deelplatform voor vergadermeubilair, beamers en schermen tussen onze diensten, zodat we minder nieuw kopen.",
        when: "Proefproject in 2027",
        budget: Some((20_000, 50_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["ict"],
        strategies: &["A3", "C1", "C3"],
        business_models: &["refurbished-second-hand", "repair-maintenance"],
        what: "Gereviseerde servers, switches en opslag voor ons rekencentrum, met garantie en onderhoud ter plaatse.",
        when: "Vervanging in 2028",
        budget: Some((150_000, 300_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["lighting"],
        strategies: &["A2", "C2", "D6"],
        business_models: &["product-as-a-service", "lease-rent"],
        what: "Verlichting voor magazijnen, loodsen en parkeerterreinen van de haven, als dienst of in lease, met sensoren.",
        when: "Gunning begin 2028",
        budget: Some((300_000, 500_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["textiles-workwear"],
        strategies: &["C5", "C7", "E3"],
        business_models: &["lease-rent", "repair-maintenance", "take-back"],
        what: "Uniformen en werkkledij voor 600 agenten, in huur met herstelservice, en terugname van afgedankte uniformen.",
        when: "Nieuw contract vanaf 2028",
        budget: Some((200_000, 350_000)),
        shared: true,
    },
    DemoNeeds {
        product_groups: &["office-furniture"],
        strategies: &["A1", "A2", "C2"],
        business_models: &["sharing-pooling", "product-as-a-service", "lease-rent"],
        what: "Stoelen voor vergaderzalen, de raadzaal en evenementen: liever huren of delen dan kopen.",
        when: "Zo snel mogelijk",
        budget: None,
        shared: true,
    },
];

/// Writes the demo buyers' needs profiles, once.
async fn write_needs(
    state: &AppState,
    event_id: Uuid,
    buyers: &[person::Model],
) -> anyhow::Result<()> {
    let existing = buyer_need::Entity::find()
        .filter(buyer_need::Column::EventId.eq(event_id))
        .count(&state.db)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let codes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    for (buyer, needs) in buyers.iter().zip(DEMO_NEEDS) {
        let input = NeedsInput {
            product_groups: codes(needs.product_groups),
            strategies: codes(needs.strategies),
            business_models: codes(needs.business_models),
            project_what: Some(needs.what.to_string()),
            project_when: Some(needs.when.to_string()),
            budget_min: needs.budget.map(|b| b.0),
            budget_max: needs.budget.map(|b| b.1),
            shared_with_suppliers: needs.shared,
        };
        crate::catalogue::needs::save(state, buyer, event_id, input)
            .await
            .map_err(e)?;
    }
    Ok(())
}

/// One factsheet of the demo catalogue (`factsheets.json`).
#[derive(Deserialize)]
struct DemoFactsheet {
    organisation: String,
    stand: String,
    content: FactsheetContent,
}

/// The demo factsheets (by stand) that stay submitted, so the review queue has work in it:
/// ones a reviewer would look at twice (claims without evidence, a rental offer).
const UNREVIEWED_STANDS: &[&str] = &["B13", "C03", "C10"];

fn demo_factsheets() -> anyhow::Result<Vec<DemoFactsheet>> {
    Ok(serde_json::from_str(include_str!("factsheets.json"))?)
}

/// Writes, submits and (but for a few) approves the demo catalogue through the same
/// service calls as the browser, each by a person of its supplier. Returns how many were
/// written: none when the event already has factsheets.
async fn publish_factsheets(
    state: &AppState,
    event_id: Uuid,
    organiser: &person::Model,
    writers: &HashMap<String, person::Model>,
) -> anyhow::Result<usize> {
    let existing = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .count(&state.db)
        .await?;
    if existing > 0 {
        return Ok(0);
    }
    let sheets = demo_factsheets()?;
    let total = sheets.len();
    for sheet in sheets {
        let writer = writers
            .get(&sheet.organisation)
            .ok_or_else(|| anyhow::anyhow!("no demo supplier of {}", sheet.organisation))?;
        let created = catalogue::create(state, writer, event_id, sheet.content)
            .await
            .map_err(e)?;
        let submitted = catalogue::submit(state, writer, event_id, created.id)
            .await
            .map_err(e)?;
        if !UNREVIEWED_STANDS.contains(&sheet.stand.as_str()) {
            catalogue::review(
                state,
                organiser,
                event_id,
                created.id,
                ReviewInput {
                    decision: Decision::Approve,
                    comment: None,
                    version: Some(submitted.version),
                },
            )
            .await
            .map_err(e)?;
        }
        catalogue::set_stand(
            state,
            organiser,
            event_id,
            created.id,
            StandInput {
                stand: Some(sheet.stand),
            },
        )
        .await
        .map_err(e)?;
    }
    Ok(total)
}

fn e(err: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}

/// Fills the demo event; with `schedule`, then schedules and publishes its meetings.
pub async fn run(settings: Settings, schedule: bool) -> anyhow::Result<String> {
    let db = crate::db::connect(&settings).await?;
    crate::db::migrate(&db).await?;
    let addr = settings.server.bind.parse()?;
    let state = crate::app::build_state(settings, db, addr);
    let mut report = fill(&state).await?;
    if schedule {
        report.push_str(&self::schedule(&state).await?);
    }
    Ok(report)
}

/// Creates what is missing of the demo event and returns a report with login links.
pub async fn fill(state: &AppState) -> anyhow::Result<String> {
    let admin = ensure_person(
        state,
        &DemoPerson {
            name: "Platform Admin".into(),
            email: ADMIN_EMAIL.into(),
            organisation: "matchfloor demo".into(),
            job_title: "Platform administrator",
            language: Lang::En,
        },
    )
    .await?;
    if !admin.is_admin {
        let mut active: person::ActiveModel = admin.clone().into();
        active.is_admin = Set(true);
        active.update(&state.db).await?;
    }
    let admin = person::Entity::find_by_id(admin.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("admin vanished"))?;

    let organiser = ensure_person(
        state,
        &DemoPerson {
            name: "Els Vermeulen".into(),
            email: ORGANISER_EMAIL.into(),
            organisation: "Circulair Vlaanderen (fictief)".into(),
            job_title: "Programmaverantwoordelijke circulair aankopen",
            language: Lang::Nl,
        },
    )
    .await?;
    let suppliers = people(
        40,
        SUPPLIER_ORGS,
        0,
        &[
            "Zaakvoerder",
            "Sales manager",
            "Business developer",
            "CEO",
            "Account manager",
        ],
    );
    let buyers = demo_buyers();

    let mut report = String::new();
    let existing = event::Entity::find()
        .filter(event::Column::Slug.eq(DEMO_SLUG))
        .one(&state.db)
        .await?;
    let event_id = match existing {
        Some(event) => {
            writeln!(
                report,
                "The demo event already exists; only what it lacked was added."
            )?;
            event.id
        }
        None => {
            let today = Utc::now().date_naive();
            // A Thursday about six weeks ahead, like a real event being prepared.
            let mut day = today + Duration::days(42);
            while day.weekday() != chrono::Weekday::Thu {
                day += Duration::days(1);
            }
            let event = events::create(
                state,
                &admin,
                EventInput {
                    name: Some("Buyer meets Supplier: circulair aankopen".into()),
                    slug: Some(DEMO_SLUG.into()),
                    description_nl: Some(
                        "Een namiddag waarop aankopers van publieke en private organisaties circulaire aanbieders ontmoeten: \
                         beursvloer, pitches, marktdialogen per productgroep en vooraf geplande één-op-één gesprekken."
                            .into(),
                    ),
                    description_en: Some(
                        "An afternoon where public and private buyers meet circular suppliers: exhibition floor, pitches, \
                         market dialogues per product group and pre-booked one-to-one meetings."
                            .into(),
                    ),
                    venue: Some("Kanaalzaal, Havenlaan 12, Lindeveld (fictief)".into()),
                    start_date: Some(day),
                    end_date: Some(day),
                    timezone: Some("Europe/Brussels".into()),
                    languages: Some(vec!["nl".into(), "en".into()]),
                    registration_open: Some(true),
                    supplier_approval_required: Some(true),
                    catalogue_public: Some(true),
                    factsheet_review_changes: Some(true),
                    colour: Some("#2a6f97".into()),
                },
            )
            .await
            .map_err(e)?;
            let id = event.id;
            grid::generate(
                state,
                &admin,
                id,
                GenerateGrid {
                    date: day,
                    start: "13:30".into(),
                    end: "17:50".into(),
                    slot_minutes: 20,
                    gap_minutes: 0,
                    breaks: vec![BreakInput {
                        start: "15:30".into(),
                        end: "15:50".into(),
                        label: Some("Koffie / Coffee".into()),
                    }],
                },
            )
            .await
            .map_err(e)?;
            venue::set_table_count(state, &admin, id, TableCount { count: 16 })
                .await
                .map_err(e)?;
            for (name, capacity) in programme::ROOMS {
                venue::save_room(
                    state,
                    &admin,
                    id,
                    None,
                    RoomInput {
                        name: Some(name.to_string()),
                        capacity: Some(*capacity),
                    },
                )
                .await
                .map_err(e)?;
            }
            writeln!(
                report,
                "Created the demo event \"{}\" on {day}.",
                event.name
            )?;
            id
        }
    };

    join(
        state,
        event_id,
        organiser.id,
        Role::Organiser,
        Status::Approved,
    )
    .await?;
    let facilitators = programme::facilitators(state, event_id).await?;
    let mut first_supplier = None;
    // Approved suppliers with their organisation, for the programme's line-ups and sign-ups.
    let mut approved_suppliers = Vec::new();
    // Who writes each organisation's factsheets.
    let mut writers: HashMap<String, person::Model> = HashMap::new();
    for (i, p) in suppliers.iter().enumerate() {
        let person = ensure_person(state, p).await?;
        // A few suppliers still wait for approval, so the organiser has something to review;
        // only beside an approved colleague, who writes the factsheets (someone waiting for
        // approval sees nothing of the event yet).
        let status = if i % 13 == 12 && writers.contains_key(&p.organisation) {
            Status::Registered
        } else {
            Status::Approved
        };
        join(state, event_id, person.id, Role::Supplier, status).await?;
        if status == Status::Approved {
            writers
                .entry(p.organisation.clone())
                .or_insert_with(|| person.clone());
            approved_suppliers.push((p.organisation.clone(), person.clone()));
        }
        first_supplier.get_or_insert(person);
    }
    let mut buyer_people = Vec::new();
    for p in &buyers {
        let person = ensure_person(state, p).await?;
        join(state, event_id, person.id, Role::Buyer, Status::Approved).await?;
        buyer_people.push(person);
    }
    let needs_writers = &buyer_people[..DEMO_NEEDS.len().min(buyer_people.len())];
    write_needs(state, event_id, needs_writers).await?;
    let (Some(supplier), Some(buyer), Some(facilitator)) = (
        first_supplier,
        buyer_people.first().cloned(),
        facilitators.first().cloned(),
    ) else {
        anyhow::bail!("the demo has no suppliers, buyers or facilitators");
    };
    let published = publish_factsheets(state, event_id, &organiser, &writers).await?;
    if published > 0 {
        writeln!(
            report,
            "Wrote {published} factsheets; {} wait for review.",
            UNREVIEWED_STANDS.len()
        )?;
    }
    let event = event::Entity::find_by_id(event_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo event vanished"))?;
    let cast = programme::Cast {
        organiser: &organiser,
        facilitators: &facilitators,
        suppliers: &approved_suppliers,
        buyers: &buyer_people,
    };
    if let Some(line) = programme::fill(state, &event, &cast).await? {
        writeln!(report, "{line}")?;
    }
    if let Some(line) = meetings::fill(state, event_id, &approved_suppliers, &buyer_people).await? {
        writeln!(report, "{line}")?;
    }

    let txn = crate::db::begin(&state.db).await?;
    let mut links = Vec::new();
    for (label, p) in [
        ("Organiser", &organiser),
        ("Supplier", &supplier),
        ("Buyer", &buyer),
        ("Facilitator", &facilitator),
        ("Platform admin", &admin),
    ] {
        let link = issue_link(&txn, state, p.id, LinkPurpose::Login, Some(event_id))
            .await
            .map_err(e)?;
        links.push((label, p.name.clone(), p.email.clone(), link));
    }
    txn.commit().await?;
    writeln!(
        report,
        "The demo event has {} suppliers and {} buyers, 12 meeting slots of 20 minutes and 16 tables.",
        suppliers.len(),
        buyers.len()
    )?;
    writeln!(
        report,
        "Login links (each works once, for {} minutes; run `matchfloor demo` again for new ones):",
        state.settings.auth.login_link_minutes
    )?;
    for (label, name, email, link) in links {
        writeln!(
            report,
            "  {label:<15} {name} <{email}>\n                  {link}"
        )?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_factsheets_are_valid_and_varied() {
        use crate::catalogue::content::{UsableUploads, Vocabulary};
        let mut vocabulary = Vocabulary::default();
        for (kind, code, parent, nl, en) in crate::events::service::default_terms() {
            vocabulary.add(kind, code, parent, nl, en);
        }
        let sheets = demo_factsheets().expect("factsheets.json reads");
        assert!((35..=45).contains(&sheets.len()), "about 40 factsheets");
        let mut stands = std::collections::HashSet::new();
        let mut per_group: HashMap<String, usize> = HashMap::new();
        let (mut self_declared, mut dutch_only, mut english_only) = (0, 0, 0);
        for sheet in &sheets {
            assert!(
                SUPPLIER_ORGS.contains(&sheet.organisation.as_str()),
                "{} is a demo supplier",
                sheet.organisation
            );
            assert!(
                stands.insert(sheet.stand.clone()),
                "stand {} once",
                sheet.stand
            );
            let mut content = sheet.content.clone();
            let mut errors = Vec::new();
            content.normalise(&vocabulary, &UsableUploads::default(), &mut errors);
            errors.extend(content.check_complete());
            assert!(errors.is_empty(), "{}: {errors:?}", sheet.stand);
            for group in &content.product_groups {
                *per_group.entry(group.clone()).or_default() += 1;
            }
            if content.claims.iter().any(|c| c.evidence.is_empty()) {
                self_declared += 1;
            }
            match (content.title_nl.is_empty(), content.title_en.is_empty()) {
                (false, true) => dutch_only += 1,
                (true, false) => english_only += 1,
                _ => {
                    // A bilingual factsheet says everything in both languages.
                    let mut pairs = vec![
                        (&content.price_model_nl, &content.price_model_en),
                        (&content.tco_statement_nl, &content.tco_statement_en),
                    ];
                    for claim in &content.claims {
                        pairs.push((&claim.explanation_nl, &claim.explanation_en));
                    }
                    for case in &content.reference_cases {
                        pairs.push((&case.title_nl, &case.title_en));
                        pairs.push((&case.description_nl, &case.description_en));
                    }
                    for (nl, en) in pairs {
                        assert_eq!(nl.is_empty(), en.is_empty(), "{}: {nl} / {en}", sheet.stand);
                    }
                }
            }
        }
        for group in &vocabulary.order[&crate::domain::TermKind::ProductGroup] {
            assert!(per_group.get(group).copied().unwrap_or(0) >= 3, "{group}");
        }
        assert!(self_declared >= 5, "some claims lack evidence");
        for stand in UNREVIEWED_STANDS {
            assert!(stands.contains(*stand), "{stand} is a demo stand");
        }
        assert!(dutch_only >= 3 && english_only >= 3, "both languages");
    }

    #[test]
    fn demo_people_have_valid_distinct_emails() {
        let mut all: Vec<String> = people(40, SUPPLIER_ORGS, 0, &["x"])
            .into_iter()
            .map(|p| p.email)
            .collect();
        all.extend(
            people(160, BUYER_ORGS, 40, &["x"])
                .into_iter()
                .map(|p| p.email),
        );
        for email in &all {
            assert!(Email::parse(email).is_ok(), "{email}");
        }
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
    }
}

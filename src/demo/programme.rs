//! The demo event's programme: five market dialogues (one per product group that has a
//! room), two pitch sessions with a line-up of demo suppliers, an opening plenary, their
//! facilitators, and sign-ups by demo buyers and suppliers made through the programme's
//! own service, so seat counters, waitlist numbers and live messages are as in real use.
//! The office furniture dialogue fills up and keeps three people on its waitlist.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::{DemoPerson, ensure_person, join};
use crate::domain::{Lang, Role, SessionKind, SignupStatus, Status};
use crate::entities::{event, person, programme_session, room};
use crate::events::grid::parse_clock;
use crate::events::venue::{self, RoomInput};
use crate::programme::questions::{self, QuestionInput};
use crate::programme::service::{self as programme, PitchInput, RoleCapacity, SessionInput};
use crate::programme::{ProgrammeError, signup};
use crate::state::AppState;

/// The demo venue's rooms and their seats: one per market dialogue track, the pitch
/// stage and the hall for the plenary.
pub(super) const ROOMS: &[(&str, i32)] = &[
    ("Zaal Kringloop (marktdialoog bouw)", 30),
    ("Zaal Hergebruik (marktdialoog kantoorinrichting)", 30),
    ("Zaal Deeleconomie (marktdialoog ICT)", 25),
    ("Zaal Biobased (marktdialoog catering en textiel)", 25),
    ("Pitchpodium", 120),
    ("Kanaalzaal (plenaire zaal)", 250),
];

/// The people who lead the market dialogues: (name, email, organisation, job title, language).
const FACILITATORS: &[(&str, &str, &str, &str, Lang)] = &[
    (
        "Sofie Claeys",
        "sofie.claeys@circulair-vlaanderen.example",
        "Circulair Vlaanderen (fictief)",
        "Procesbegeleider marktdialogen",
        Lang::Nl,
    ),
    (
        "Marc Devos",
        "marc.devos@bouwforum.example",
        "Bouwforum Vlaanderen (fictief)",
        "Adviseur circulair bouwen",
        Lang::Nl,
    ),
    (
        "Hannah Berg",
        "hannah.berg@cpn-europe.example",
        "Circular Procurement Network Europe (fictional)",
        "Facilitator, circular ICT",
        Lang::En,
    ),
    (
        "Ruben Lenaerts",
        "ruben.lenaerts@facilitair-netwerk.example",
        "Facilitair Netwerk (fictief)",
        "Moderator duurzame facilitaire diensten",
        Lang::Nl,
    ),
];

/// Who leads a session.
#[derive(Clone, Copy)]
enum Leader {
    Organiser,
    /// Index into [`FACILITATORS`].
    Facilitator(usize),
}

/// One session of the demo programme and how many demo people sign up for it.
struct DemoSession {
    kind: SessionKind,
    title_nl: &'static str,
    title_en: &'static str,
    description_nl: &'static str,
    description_en: &'static str,
    product_group: Option<&'static str>,
    themes: &'static [&'static str],
    /// A name of [`ROOMS`].
    room: &'static str,
    start: &'static str,
    end: &'static str,
    capacity: i32,
    /// Seats for buyers and for suppliers within `capacity`.
    role_capacity: Option<(i32, i32)>,
    leaders: &'static [Leader],
    /// Pitch sessions: supplier organisations and their minutes, in order.
    lineup: &'static [(&'static str, i32)],
    buyers: usize,
    suppliers: usize,
}

/// The dialogue that fills up: 15 buyer and 5 supplier seats, asked for by 17 buyers and
/// 6 suppliers, so two buyers and a supplier wait.
pub(super) const FULL_DIALOGUE_EN: &str = "Market dialogue: office interiors and furniture";

const SESSIONS: &[DemoSession] = &[
    DemoSession {
        kind: SessionKind::Plenary,
        title_nl: "Opening: waarom circulair aankopen loont",
        title_en: "Opening: why buying circular pays off",
        description_nl: "Welkom door de organisatoren, de resultaten van de Green Deal Circulair Aankopen in tien minuten en hoe u vanmiddag het meeste uit de beursvloer, de pitches en de marktdialogen haalt.",
        description_en: "A welcome by the organisers, the results of the Green Deal on circular procurement in ten minutes, and how to make the most of the exhibition floor, the pitches and the market dialogues this afternoon.",
        product_group: None,
        themes: &[],
        room: "Kanaalzaal (plenaire zaal)",
        start: "13:00",
        end: "13:25",
        capacity: 220,
        role_capacity: None,
        leaders: &[Leader::Organiser],
        lineup: &[],
        buyers: 90,
        suppliers: 20,
    },
    DemoSession {
        kind: SessionKind::MarketDialogue,
        title_nl: "Marktdialoog: bouw",
        title_en: "Market dialogue: construction",
        description_nl: "Aankopers en aanbieders over hergebruik van bouwmaterialen, materialenpaspoorten en demonteerbaar bouwen. Wat vraagt u in een bestek, en wat kan de markt vandaag al leveren?",
        description_en: "Buyers and suppliers on reusing building materials, material passports and buildings that come apart. What do you ask for in a tender, and what can the market deliver today?",
        product_group: Some("construction"),
        themes: &["circular-design", "reuse-recycling", "chain-cooperation"],
        room: "Zaal Kringloop (marktdialoog bouw)",
        start: "13:30",
        end: "14:30",
        capacity: 25,
        role_capacity: None,
        leaders: &[Leader::Facilitator(1)],
        lineup: &[],
        buyers: 12,
        suppliers: 5,
    },
    DemoSession {
        kind: SessionKind::MarketDialogue,
        title_nl: "Marktdialoog: kantoorinrichting en kantoormeubilair",
        title_en: FULL_DIALOGUE_EN,
        description_nl: "Gereviseerd of nieuw, kopen of als dienst, en wat gebeurt er met het oude meubilair? Een gesprek over terugname, garanties en de totale kost over de levensduur.",
        description_en: "Refurbished or new, buying or as a service, and what happens to the old furniture? A conversation about take-back, warranties and the total cost over the whole life.",
        product_group: Some("office-furniture"),
        themes: &["refurbished-or-new", "product-as-a-service", "longer-use"],
        room: "Zaal Hergebruik (marktdialoog kantoorinrichting)",
        start: "13:30",
        end: "14:30",
        capacity: 20,
        role_capacity: Some((15, 5)),
        leaders: &[Leader::Facilitator(0)],
        lineup: &[],
        buyers: 17,
        suppliers: 6,
    },
    DemoSession {
        kind: SessionKind::MarketDialogue,
        title_nl: "Marktdialoog: ICT",
        title_en: "Market dialogue: ICT",
        description_nl: "Refurbished laptops en servers, herstel op de werkvloer en langere gebruiksduur: hoe schrijft u dat in een raamcontract, en welke garanties zijn realistisch?",
        description_en: "Refurbished laptops and servers, repair on site and longer use: how do you write that into a framework contract, and which warranties are realistic?",
        product_group: Some("ict"),
        themes: &["refurbished-or-new", "longer-use", "product-as-a-service"],
        room: "Zaal Deeleconomie (marktdialoog ICT)",
        start: "13:30",
        end: "14:30",
        capacity: 20,
        role_capacity: None,
        leaders: &[Leader::Facilitator(2)],
        lineup: &[],
        buyers: 13,
        suppliers: 4,
    },
    DemoSession {
        kind: SessionKind::MarketDialogue,
        title_nl: "Marktdialoog: catering en voeding",
        title_en: "Market dialogue: catering and food",
        description_nl: "Herbruikbaar servies en retourverpakkingen in personeelsrestaurants, minder voedselverspilling en samenwerking in de keten.",
        description_en: "Reusable tableware and returnable packaging in staff restaurants, less food waste and cooperation along the supply chain.",
        product_group: Some("catering-food"),
        themes: &["reuse-recycling", "chain-cooperation"],
        room: "Zaal Biobased (marktdialoog catering en textiel)",
        start: "13:30",
        end: "14:30",
        capacity: 20,
        role_capacity: None,
        leaders: &[Leader::Facilitator(3)],
        lineup: &[],
        buyers: 8,
        suppliers: 3,
    },
    DemoSession {
        kind: SessionKind::Pitch,
        title_nl: "Pitches: kantoor, ICT en verlichting",
        title_en: "Pitches: office, ICT and lighting",
        description_nl: "Zes circulaire koplopers stellen in enkele minuten hun aanbod voor: stoelen en werkplekken als dienst, gereviseerde IT, printbeheer en licht als dienst.",
        description_en: "Six circular front-runners present their offer in a few minutes each: chairs and workplaces as a service, refurbished IT, print management and light as a service.",
        product_group: None,
        themes: &["product-as-a-service", "refurbished-or-new"],
        room: "Pitchpodium",
        start: "14:40",
        end: "15:20",
        capacity: 100,
        role_capacity: None,
        leaders: &[Leader::Organiser],
        lineup: &[
            ("Circular Chairs Europe", 6),
            ("Second Screen IT", 6),
            ("Lumen as a Service", 6),
            ("Kantoor in Abonnement", 6),
            ("Printless", 5),
            ("GreenGrid Lighting", 5),
        ],
        buyers: 35,
        suppliers: 5,
    },
    DemoSession {
        kind: SessionKind::MarketDialogue,
        title_nl: "Marktdialoog: textiel en werkkledij",
        title_en: "Market dialogue: textiles and workwear",
        description_nl: "Werkkledij in huur, herstel en terugname, en gerecycleerde vezels: wat kan een aankoper vragen, en wat betekent dat voor de dragers?",
        description_en: "Workwear on lease, repair and take-back, and recycled fibres: what can a buyer ask for, and what does it mean for the people who wear it?",
        product_group: Some("textiles-workwear"),
        themes: &["reuse-recycling", "circular-design", "product-as-a-service"],
        room: "Zaal Biobased (marktdialoog catering en textiel)",
        start: "15:50",
        end: "16:50",
        capacity: 20,
        role_capacity: None,
        leaders: &[Leader::Facilitator(0)],
        lineup: &[],
        buyers: 11,
        suppliers: 4,
    },
    DemoSession {
        kind: SessionKind::Pitch,
        title_nl: "Pitches: bouw, textiel, catering en zorg",
        title_en: "Pitches: construction, textiles, catering and care",
        description_nl: "Zes aanbieders uit bouw, textiel, catering en zorg tonen hoe hergebruik, terugname en verhuur er in de praktijk uitzien.",
        description_en: "Six suppliers from construction, textiles, catering and care show what reuse, take-back and leasing look like in practice.",
        product_group: None,
        themes: &["reuse-recycling", "chain-cooperation"],
        room: "Pitchpodium",
        start: "17:00",
        end: "17:40",
        capacity: 100,
        role_capacity: None,
        leaders: &[Leader::Organiser],
        lineup: &[
            ("Urban Mining Labs", 6),
            ("Modulo Bouw", 6),
            ("ReWear Workwear", 6),
            ("Loop Packaging", 5),
            ("MedLoop Zorgmaterialen", 6),
            ("Nordic Reuse Partners", 6),
        ],
        buyers: 28,
        suppliers: 4,
    },
];

/// The demo facilitators, each taking part in the event as facilitator.
pub(super) async fn facilitators(
    state: &AppState,
    event_id: Uuid,
) -> anyhow::Result<Vec<person::Model>> {
    let mut leaders = Vec::new();
    for (name, email, organisation, job_title, language) in FACILITATORS {
        let person = ensure_person(
            state,
            &DemoPerson {
                name: name.to_string(),
                email: email.to_string(),
                organisation: organisation.to_string(),
                job_title,
                language: *language,
            },
        )
        .await?;
        join(
            state,
            event_id,
            person.id,
            Role::Facilitator,
            Status::Approved,
        )
        .await?;
        leaders.push(person);
    }
    Ok(leaders)
}

/// Who takes part, for the programme to pick from.
pub(super) struct Cast<'a> {
    pub organiser: &'a person::Model,
    pub facilitators: &'a [person::Model],
    /// Approved suppliers with their organisation's name, in the demo's order.
    pub suppliers: &'a [(String, person::Model)],
    /// Buyers in the demo's order; the first ones wrote the needs profiles.
    pub buyers: &'a [person::Model],
}

/// Minutes after midnight of a planned `HH:MM`, read as the slot grid reads it.
fn minutes(clock: &str) -> anyhow::Result<i32> {
    parse_clock(clock, "time").map_err(|e| anyhow::anyhow!("{clock}: {}", e.message))
}

/// The times each person already has a seat (or a waitlist place) for, so the demo never
/// asks for two sessions at once.
#[derive(Default)]
struct Diary(HashMap<Uuid, Vec<(i32, i32)>>);

impl Diary {
    fn free(&self, person: Uuid, start: i32, end: i32) -> bool {
        self.0
            .get(&person)
            .is_none_or(|taken| taken.iter().all(|&(s, e)| end <= s || start >= e))
    }

    fn book(&mut self, person: Uuid, start: i32, end: i32) {
        self.0.entry(person).or_default().push((start, end));
    }
}

/// Buyers and suppliers in the order they ask for seats: suppliers spread evenly among
/// the buyers, as sign-ups arrive in a real opening.
fn arrivals<'a>(
    buyers: Vec<&'a person::Model>,
    suppliers: Vec<&'a person::Model>,
) -> Vec<&'a person::Model> {
    let total = buyers.len() + suppliers.len();
    let share = suppliers.len();
    let (mut buyers, mut suppliers) = (buyers.into_iter(), suppliers.into_iter());
    (1..=total)
        .filter_map(|k| {
            if k * share / total > (k - 1) * share / total {
                suppliers.next()
            } else {
                buyers.next()
            }
        })
        .collect()
}

/// The first `count` of `candidates` (in order, each once) who are free at that time.
fn pick<'a>(
    candidates: impl Iterator<Item = &'a person::Model>,
    count: usize,
    diary: &Diary,
    (start, end): (i32, i32),
) -> Vec<&'a person::Model> {
    let mut chosen: Vec<&person::Model> = Vec::with_capacity(count);
    for person in candidates {
        if chosen.len() == count {
            break;
        }
        if diary.free(person.id, start, end) && chosen.iter().all(|c| c.id != person.id) {
            chosen.push(person);
        }
    }
    chosen
}

/// The event's rooms by name; those of [`ROOMS`] it lacks (a demo event made before it
/// had them) are added as an organiser adds them.
async fn rooms(
    state: &AppState,
    event_id: Uuid,
    organiser: &person::Model,
) -> anyhow::Result<HashMap<String, Uuid>> {
    let mut by_name: HashMap<String, Uuid> = room::Entity::find()
        .filter(room::Column::EventId.eq(event_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.id))
        .collect();
    for (name, capacity) in ROOMS {
        if !by_name.contains_key(*name) {
            let made = venue::save_room(
                state,
                organiser,
                event_id,
                None,
                RoomInput {
                    name: Some(name.to_string()),
                    capacity: Some(*capacity),
                },
            )
            .await
            .map_err(super::e)?;
            by_name.insert(made.name, made.id);
        }
    }
    Ok(by_name)
}

/// Questions ahead for a market dialogue's product group, in Dutch and English: the first
/// people to sign up for that dialogue write one each, in their own language.
const QUESTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "construction",
        &[
            (
                "Hoe tonen jullie aan dat gerecupereerde bouwmaterialen aan de huidige normen voldoen?",
                "How do you show that reclaimed building materials meet today's standards?",
            ),
            (
                "Wij renoveren in 2027 twee scholen: kan een materialenpaspoort deel uitmaken van de opdracht?",
                "We renovate two schools in 2027: can a materials passport be part of the contract?",
            ),
            (
                "Welke gunningscriteria werken in de praktijk om hergebruik te belonen zonder kleine aannemers uit te sluiten?",
                "Which award criteria work in practice to reward reuse without shutting out small contractors?",
            ),
        ],
    ),
    (
        "office-furniture",
        &[
            (
                "Kunnen jullie onze bestaande bureaus opnemen en hergebruiken voordat er iets nieuws komt?",
                "Can you take back and reuse our existing desks before anything new is delivered?",
            ),
            (
                "Hoe ziet een contract voor meubilair als dienst eruit na afloop van de looptijd?",
                "What does a furniture-as-a-service contract look like when its term ends?",
            ),
            (
                "Wij zoeken 300 werkplekken voor 2027; welke levertijden zijn realistisch met gerefurbishte stukken?",
                "We need 300 workstations for 2027; what delivery times are realistic with refurbished pieces?",
            ),
        ],
    ),
    (
        "ict",
        &[
            (
                "Welke garantie geven jullie op gerefurbishte laptops, en hoe wordt de batterij getest?",
                "What warranty do you give on refurbished laptops, and how is the battery tested?",
            ),
            (
                "Hoe wordt onze data gewist en gerapporteerd wanneer toestellen teruggaan?",
                "How is our data wiped and reported when devices go back?",
            ),
        ],
    ),
    (
        "catering-food",
        &[
            (
                "Hoe organiseren jullie herbruikbare verpakkingen bij een grote personeelsrestaurant?",
                "How do you organise reusable packaging for a large staff restaurant?",
            ),
            (
                "Kunnen reststromen uit onze keuken lokaal verwerkt worden, en wie meet dat?",
                "Can our kitchen's residual streams be processed locally, and who measures it?",
            ),
        ],
    ),
    (
        "textiles-workwear",
        &[
            (
                "Hoeveel gerecycleerde vezel zit er in jullie werkkledij, en is die na gebruik weer recycleerbaar?",
                "How much recycled fibre is in your workwear, and can it be recycled again after use?",
            ),
            (
                "Wij willen werkkledij huren in plaats van kopen: hoe gaan jullie om met maten en logo's?",
                "We want to lease workwear rather than buy it: how do you handle sizes and logos?",
            ),
        ],
    ),
];

/// Adds the programme with its sign-ups, once: an event that has sessions keeps them as
/// they are. Returns a line for the report when something was done.
pub(super) async fn fill(
    state: &AppState,
    event: &event::Model,
    cast: &Cast<'_>,
) -> anyhow::Result<Option<String>> {
    let existing = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event.id))
        .count(&state.db)
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    if event.start_date <= Utc::now().date_naive() {
        // Sign-up closes when a session starts: a programme today or in the past takes none.
        return Ok(Some(
            "The demo event's day has come, so no programme was added.".into(),
        ));
    }
    let rooms = rooms(state, event.id, cast.organiser).await?;
    let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
    for sheet in super::demo_factsheets()? {
        groups_of
            .entry(sheet.organisation)
            .or_default()
            .extend(sheet.content.product_groups);
    }
    let organisation_ids: HashMap<&str, Uuid> = cast
        .suppliers
        .iter()
        .filter_map(|(name, p)| Some((name.as_str(), p.organisation_id?)))
        .collect();
    let mut diary = Diary::default();
    let (mut confirmed, mut waiting, mut asked) = (0, 0, 0);
    for (k, plan) in SESSIONS.iter().enumerate() {
        let lineup = plan
            .lineup
            .iter()
            .map(|(organisation, minutes)| {
                let organisation_id = *organisation_ids
                    .get(organisation)
                    .ok_or_else(|| anyhow::anyhow!("no demo supplier of {organisation}"))?;
                Ok(PitchInput {
                    organisation_id,
                    minutes: *minutes,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let leaders = plan
            .leaders
            .iter()
            .map(|leader| match leader {
                Leader::Organiser => cast.organiser.id,
                Leader::Facilitator(i) => cast.facilitators[*i].id,
            })
            .collect();
        let room_id = rooms
            .get(plan.room)
            .ok_or_else(|| anyhow::anyhow!("no room {}", plan.room))?;
        let input = SessionInput {
            kind: Some(plan.kind),
            title_nl: Some(plan.title_nl.into()),
            title_en: Some(plan.title_en.into()),
            description_nl: Some(plan.description_nl.into()),
            description_en: Some(plan.description_en.into()),
            product_group: plan.product_group.map(String::from),
            themes: Some(plan.themes.iter().map(|t| t.to_string()).collect()),
            room_id: Some(room_id.to_string()),
            date: Some(event.start_date),
            start: Some(plan.start.into()),
            end: Some(plan.end.into()),
            capacity: Some(plan.capacity),
            role_capacity: plan.role_capacity.map(|(buyer, supplier)| RoleCapacity {
                buyer: Some(buyer),
                supplier: Some(supplier),
            }),
            facilitators: Some(leaders),
            signup_opens_at: None,
            signup_closes_at: None,
            lineup: (!lineup.is_empty()).then_some(lineup),
        };
        let session = programme::create(state, cast.organiser, event.id, input)
            .await
            .map_err(p)?;

        // Buyers whose needs profile names the product group come first; then buyers and
        // suppliers from a different point in the list for each session, so the sign-ups
        // spread over everyone.
        let time = (minutes(plan.start)?, minutes(plan.end)?);
        let with_needs = super::DEMO_NEEDS
            .iter()
            .zip(cast.buyers)
            .filter(|(needs, _)| {
                plan.product_group
                    .is_some_and(|g| needs.product_groups.contains(&g))
            })
            .map(|(_, buyer)| buyer);
        let rotated = |len: usize, step: usize| (0..len).map(move |j| (j + k * step) % len);
        let buyers = pick(
            with_needs.chain(rotated(cast.buyers.len(), 37).map(|j| &cast.buyers[j])),
            plan.buyers,
            &diary,
            time,
        );
        let suppliers = match plan.product_group {
            // The suppliers whose factsheets serve the product group.
            Some(group) => pick(
                cast.suppliers
                    .iter()
                    .filter(|(organisation, _)| {
                        groups_of
                            .get(organisation)
                            .is_some_and(|groups| groups.iter().any(|g| g == group))
                    })
                    .map(|(_, p)| p),
                plan.suppliers,
                &diary,
                time,
            ),
            None => pick(
                rotated(cast.suppliers.len(), 7).map(|j| &cast.suppliers[j].1),
                plan.suppliers,
                &diary,
                time,
            ),
        };
        let mut to_ask = plan
            .product_group
            .and_then(|g| QUESTIONS.iter().find(|(group, _)| *group == g))
            .map(|(_, list)| list.iter())
            .into_iter()
            .flatten();
        for person in arrivals(buyers, suppliers) {
            let outcome = signup::sign_up(state, person, event.id, session.id)
                .await
                .map_err(p)?;
            diary.book(person.id, time.0, time.1);
            if plan.kind == SessionKind::MarketDialogue
                && let Some((nl, en)) = to_ask.next()
            {
                let text = match person.language {
                    Lang::Nl => nl,
                    Lang::En => en,
                };
                let input = QuestionInput {
                    text: (*text).into(),
                };
                questions::save(state, person, event.id, session.id, input)
                    .await
                    .map_err(p)?;
                asked += 1;
            }
            match outcome.status {
                SignupStatus::Confirmed => confirmed += 1,
                SignupStatus::Waitlisted => waiting += 1,
            }
        }
    }
    Ok(Some(format!(
        "Added the programme: {} sessions, {confirmed} seats taken, {waiting} people on a waitlist, {asked} questions ahead.",
        SESSIONS.len()
    )))
}

fn p(err: ProgrammeError) -> anyhow::Error {
    match err {
        ProgrammeError::Invalid(fields) => {
            anyhow::anyhow!("the demo programme is invalid: {fields:?}")
        }
        other => anyhow::anyhow!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_fits_the_venue_and_the_taxonomy() {
        let terms = crate::events::service::default_terms();
        let known = |kind, code: &str| terms.iter().any(|t| t.0 == kind && t.1 == code);
        let mut groups = Vec::new();
        for s in SESSIONS {
            assert!(ROOMS.iter().any(|(name, _)| *name == s.room), "{}", s.room);
            let seats = ROOMS.iter().find(|(name, _)| *name == s.room).unwrap().1;
            assert!(s.capacity <= seats, "{} fits its room", s.title_en);
            let (start, end) = (minutes(s.start).unwrap(), minutes(s.end).unwrap());
            assert!(start < end);
            let pitched: i32 = s.lineup.iter().map(|(_, m)| m).sum();
            assert!(pitched <= end - start, "{}", s.title_en);
            assert_eq!(s.kind == SessionKind::Pitch, !s.lineup.is_empty());
            for leader in s.leaders {
                if let Leader::Facilitator(i) = leader {
                    assert!(*i < FACILITATORS.len());
                }
            }
            for theme in s.themes {
                assert!(
                    known(crate::domain::TermKind::DialogueTheme, theme),
                    "{theme}"
                );
            }
            if let Some(group) = s.product_group {
                assert!(
                    known(crate::domain::TermKind::ProductGroup, group),
                    "{group}"
                );
                assert_eq!(s.kind, SessionKind::MarketDialogue);
                groups.push(group);
            }
            for (organisation, _) in s.lineup {
                assert!(super::super::SUPPLIER_ORGS.contains(organisation));
            }
        }
        groups.sort_unstable();
        groups.dedup();
        assert_eq!(
            groups.len(),
            5,
            "five dialogues, each on its own product group"
        );
    }

    #[test]
    fn suppliers_arrive_spread_among_the_buyers() {
        let people: Vec<person::Model> = (0..23)
            .map(|i| person::Model {
                id: Uuid::now_v7(),
                email: format!("p{i}@example.org"),
                name: format!("p{i}"),
                phone: None,
                organisation_id: None,
                job_title: None,
                language: Lang::Nl,
                is_admin: false,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            })
            .collect();
        let (buyers, suppliers) = people.split_at(17);
        let order: Vec<&str> = arrivals(buyers.iter().collect(), suppliers.iter().collect())
            .into_iter()
            .map(|p| {
                if buyers.iter().any(|b| b.id == p.id) {
                    "b"
                } else {
                    "s"
                }
            })
            .collect();
        assert_eq!(order.concat(), "bbbsbbbsbbbsbbbsbbbsbbs");
    }
}

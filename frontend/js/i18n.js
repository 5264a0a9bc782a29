// Every text the app shows, in English and Dutch, plus the language switch itself.
// API error codes and field problem codes are translated here; unknown ones fall back to
// the server's (English) message.

export const LANGS = ['nl', 'en'];
const STORAGE_KEY = 'mf.lang';

const en = {
  a11y: { skip: 'Skip to content' },
  lang: { nl: 'Nederlands', en: 'English' },
  nav: {
    main: 'Main', language: 'Language', my_events: 'My events', profile: 'Profile', logout: 'Log out',
    home_label: 'matchfloor, go to my events',
  },
  footer: {
    tagline: 'Buyer meets Supplier matchmaking for circular procurement',
    license: 'Open source under the AGPL-3.0 licence.',
  },
  common: {
    loading: 'Loading…', optional: '(optional)', save: 'Save', save_changes: 'Save changes', cancel: 'Cancel',
    delete: 'Delete', add: 'Add', retry: 'Try again', copy: 'Copy', copied: 'Copied to the clipboard.',
    copy_failed: 'Copying did not work; select the link and copy it yourself.',
  },
  form: { fix_problems: 'Please check the highlighted fields.' },
  auth: { logged_out: 'You are logged out.' },
  page: {
    not_found_title: 'Page not found', not_found_text: 'This page does not exist, or you do not have access to it.',
    forbidden_title: 'No access', offline_title: 'No connection', error_title: 'Something went wrong',
    request_id: 'Reference for support: {id}',
  },
  login: {
    title: 'Log in', eyebrow: 'Buyer meets Supplier',
    headline: 'Meet the circular suppliers and buyers that matter to you',
    lead: 'matchfloor organises matchmaking events for circular procurement: one-to-one meetings, market dialogues and a supplier catalogue, on one afternoon.',
    needs_login_title: 'Log in to continue', needs_login_text: 'This page is for participants. Log in with your email address; we send you a link, no password needed.',
    feature_meetings: 'One-to-one meetings at fixed tables and times',
    feature_catalogue: 'A catalogue of circular offers, with the evidence behind them',
    feature_agenda: 'Your personal agenda, on your phone and on paper',
    card_title: 'Log in with your email', card_text: 'No password: we email you a link that logs you in.',
    email_label: 'Email address', send_link: 'Send me a link',
    check_mail_title: 'Check your mail', check_mail_text_before: 'We sent a login link to', check_mail_text_after: '. Open it on this device to log in.',
    tip_once: 'The link works once and only for a short time.',
    tip_spam: 'Nothing after a few minutes? Look in your spam or promotions folder.',
    tip_tab: 'The link opens a new tab; this one logs in by itself once you confirm.',
    send_again: 'Send the link again', sent_again: 'We sent a new link.', use_other: 'Use another address',
    rate_limited: 'You asked for several links in a short time. Please wait a few minutes and try again; the last link we sent still works.',
  },
  confirm: {
    title: 'Confirm login', heading: 'Log in to matchfloor',
    text: 'You opened a login link from your email. Click the button to log in on this device.',
    why: 'We ask for this click so that a mail scanner opening the link cannot use it up.',
    button: 'Log me in', welcome: 'Welcome, {name}.',
    invalid_title: 'This link no longer works',
    invalid_text: 'This login link was already used or has expired. Links work only once and for a short time.',
    no_token: 'This page needs the full link from your email. Open the link from the email again, or ask for a new one.',
    invalid_help: 'No problem: ask for a new link below.', new_link_title: 'Send me a new link',
  },
  home: {
    title: 'My events', greeting: 'Welcome', greeting_name: 'Welcome, {name}',
    subtitle: 'Events you take part in appear here.',
    count: { one: '{n} event', other: '{n} events' },
    new_event: 'New event', upcoming: 'Upcoming', past: 'Past events',
    empty_title: 'You are not part of an event yet',
    empty_text: 'When an organiser invites you, or you register through an event’s registration page, the event appears here.',
    empty_admin_title: 'No events yet', empty_admin_text: 'Create the first event: dates, venue and time zone first; the programme grid comes next.',
  },
  role: { organiser: 'Organiser', facilitator: 'Facilitator', supplier: 'Supplier', buyer: 'Buyer', admin: 'Platform admin' },
  status: {
    invited: 'Invited', registered: 'Registered', approved: 'Approved', declined: 'Declined', cancelled: 'Cancelled',
    awaiting: 'Awaiting approval',
  },
  event: {
    name: 'Event name', slug: 'Web address', slug_hint: 'Lowercase letters, digits and hyphens, used in the registration link. Left empty, it is made from the name.',
    start_date: 'Start date', start_date_hint: 'The (first) day of the event.', end_date: 'End date', end_date_hint: 'Only for events of more than one day.',
    timezone: 'Time zone', timezone_hint: 'All times of the event are shown in this zone.',
    timezone_other_option: 'Other time zone…', timezone_other: 'Time zone (IANA name, e.g. Europe/Brussels)',
    venue: 'Venue', venue_hint: 'Name and address, as participants should see it.',
    description: 'Description', description_hint: 'Write it in each language of the event; readers see their own language, or the other one where theirs is empty.',
    description_nl: 'Description in Dutch', description_en: 'Description in English', languages: 'Languages of the event', languages_hint: 'Participants choose one of these for emails.',
    registration_open: 'Registration is open', registration_open_hint: 'Buyers and suppliers can register themselves on the public page.',
    supplier_approval: 'Suppliers need approval', supplier_approval_hint: 'An organiser approves each supplier before they take part.',
    catalogue_public: 'The catalogue is public', catalogue_public_hint: 'Anyone with the link sees the published factsheets, without logging in. Otherwise only participants do.',
    review_changes: 'Review changes to published factsheets', review_changes_hint: 'A change goes to the catalogue only after an organiser approves it. Off: changes are published at once.',
    registration_open_badge: 'Registration open',
    setup_link: 'Set up', print: 'Print programme',
    when: 'When', hours: 'Programme', where: 'Where', times_in: 'Times in {tz}',
    about: 'About this event', product_groups: 'Product groups', product_groups_empty: 'No product groups yet.',
    meetings_title: 'My meetings', meetings_empty_title: 'Your meetings will appear here once scheduled',
    meetings_empty_text: 'The organiser schedules the one-to-one meetings before the event. You will get an email with your agenda, and it shows here too, with table numbers.',
    viewing_as_admin: 'You are looking at this event as a platform admin; you are not a participant.',
    status_awaiting_title: 'Your registration awaits approval',
    status_awaiting_text: 'The organiser checks every supplier before the event. You will get an email as soon as you are approved.',
    status_text: {
      invited: 'You are invited to this event. Your place is confirmed once the organiser has your details.',
      registered: 'You are registered for this event.',
      approved: 'Your participation is confirmed. See you there!',
      declined: 'The organiser could not accept your registration for this event. Questions? Reply to the email you received.',
      cancelled: 'Your participation in this event was cancelled.',
    },
  },
  event_new: {
    title: 'New event', lead: 'The basics first. You can change all of this later, and set up the grid, rooms, tables and participants next.',
    submit: 'Create event', created: 'Event “{name}” created. Next: the programme grid.',
  },
  programme: {
    title: 'Programme', time: 'Time', activity: 'Activity', meeting_slot: 'One-to-one meetings',
    meeting_slots: { one: '{n} meeting slot', other: '{n} meeting slots' },
    breaks: { one: '{n} break', other: '{n} breaks' },
    empty_title: 'No programme yet', empty_text: 'The organiser has not published the time slots yet.',
    empty_text_organiser: 'Build the grid of meeting slots and breaks in the set-up.', build_grid: 'Build the grid',
  },
  slot: { kind_meeting: 'Meeting', kind_break: 'Break' },
  role_plural: { organiser: 'Organisers', facilitator: 'Facilitators', supplier: 'Suppliers', buyer: 'Buyers' },
  live: {
    state: { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' },
    state_hint: {
      connecting: 'Connecting for live updates.',
      live: 'This page updates by itself.',
      reconnecting: 'The connection dropped; trying again. The page catches up once it is back.',
      offline: 'No internet connection. The page catches up once you are back online.',
    },
    logged_out: 'You were logged out. Log in again to continue.',
    access_ended: 'You no longer take part in this event.',
  },
  announcements: {
    title: 'Announcements', new: 'New announcement', dismiss: 'Dismiss the announcement',
    empty_title: 'No announcements yet', empty_text: 'Messages from the organisers appear here, as soon as they are sent.',
    to_everyone: 'To everyone', to_roles: 'To {roles}', to_you: 'To you',
    to_people: { one: 'To {n} person', other: 'To {n} people' },
    compose_title: 'Write an announcement',
    compose_hint: 'Write in Dutch, English or both: everyone reads their own language, or the other one when theirs is empty. It appears at once on the open pages of the people it is for.',
    body_nl: 'Text in Dutch', body_en: 'Text in English',
    audience: 'For whom', audience_option: { everyone: 'Everyone', roles: 'Roles', people: 'Selected people' },
    roles: 'Roles', people: 'People', people_search: 'Search people', people_search_placeholder: 'Name, email or organisation',
    people_none: 'Nobody chosen yet.', people_empty: 'Nobody takes part in this event yet.',
    people_chosen: { one: '{n} chosen', other: '{n} chosen' },
    people_matches: { one: '{n} person matches', other: '{n} people match' },
    send: 'Send announcement', sent: 'Announcement sent.',
  },
  setup: {
    eyebrow: 'Set-up', back_to_event: 'Back to the event', tabs_label: 'Set-up sections',
    tab: { details: 'Details', grid: 'Grid', rooms: 'Rooms', tables: 'Tables', taxonomy: 'Lists', participants: 'Participants' },
  },
  details: {
    lead: 'What participants see about the event.', saved: 'Event details saved.',
    registration_link: 'Registration is open. Share this link with buyers and suppliers:',
    registration_closed: 'Registration is closed. Open it below to get a public registration link.',
  },
  grid: {
    lead: 'The time slots for one-to-one meetings, and the breaks. Times are in {tz}.',
    generator_title: 'Generate a day', generator_text: 'Give the hours, the length of a meeting and the breaks; we make the slots. This replaces the slots of that day.',
    date: 'Date', start: 'Start', end: 'End', slot_minutes: 'Minutes per meeting', gap_minutes: 'Minutes between meetings',
    kind: 'Kind', label: 'Label', label_placeholder: 'e.g. Coffee break',
    breaks: 'Breaks', breaks_hint: 'No meetings are planned during a break.', no_breaks: 'No breaks yet.',
    add_break: 'Add a break', break_n: 'Break {n}', remove_break_n: 'Remove break {n}', break_removed: 'Break removed.',
    break_start: 'Break starts', break_end: 'Break ends', break_label: 'Name', break_label_placeholder: 'Coffee break',
    preview: 'This makes {meetings} and {breaks}.', preview_no_breaks: 'This makes {meetings}.', preview_incomplete: 'Fill in the hours and the meeting length to see how many slots this makes.',
    generate: 'Generate grid', generated: 'Grid ready: {summary}.',
    replace_title: 'Replace this day’s slots?', replace_confirm: 'Replace slots',
    replace_warning: { one: 'This replaces the {n} slot already on {date}.', other: 'This replaces the {n} slots already on {date}.' },
    slots_title: 'Slots', empty_title: 'No slots yet', empty_text: 'Generate a day above, or add slots one by one below.',
    row_start: 'Start of slot {time}', row_end: 'End of slot {time}', row_kind: 'Kind of slot {time}', row_label: 'Label of slot {time}',
    row_save: 'Save slot {time}', row_delete: 'Delete slot {time}',
    slot_saved: 'Slot {time} saved.', slot_deleted: 'Slot {time} deleted.', slot_added: 'Slot {time} added.',
    delete_title: 'Delete slot {time}?', delete_text: 'Meetings planned in this slot, if any, need a new time.',
    add_slot: 'Add a slot', add_slot_submit: 'Add slot',
  },
  rooms: {
    lead: 'Rooms for market dialogues and pitch sessions, with the number of seats.',
    name: 'Room name', capacity: 'Seats', name_placeholder: 'e.g. Room Aurora',
    count: { one: '{n} room', other: '{n} rooms' }, total_seats: '{n} seats in total',
    name_of: 'Name of room {name}', capacity_of: 'Seats in room {name}', save_of: 'Save room {name}', delete_of: 'Delete room {name}',
    empty_title: 'No rooms yet', empty_text: 'Add the rooms where market dialogues and pitches take place.',
    add: 'Add a room', add_submit: 'Add room', added: 'Room {name} added.', saved: 'Room {name} saved.', deleted: 'Room {name} deleted.',
    delete_title: 'Delete room {name}?', delete_text: 'Sessions planned in this room need another room.',
  },
  tables: {
    lead: 'The numbered tables where one-to-one meetings take place.',
    count: 'Number of tables', count_hint: 'Tables are numbered 1 to this number; labels are kept.', set_count: 'Set number',
    count_saved: { one: 'There is now {n} table.', other: 'There are now {n} tables.' },
    reduce_title: 'Remove tables?', reduce_confirm: 'Remove tables',
    reduce_text: { one: '{n} table above number {count} will be removed.', other: '{n} tables above number {count} will be removed.' },
    list_title: 'Tables', number: 'No.', label: 'Label', label_placeholder: 'e.g. near the entrance',
    label_of: 'Label of table {n}', save_of: 'Save table {n}', delete_of: 'Delete table {n}',
    empty_title: 'No tables yet', empty_text: 'Set the number of tables above.',
    saved: 'Table {n} saved.', deleted: 'Table {n} deleted.',
    delete_title: 'Delete table {n}?', delete_text: 'Meetings at this table, if any, need another table.',
  },
  taxonomy: {
    lead: 'The lists participants choose from, in Dutch and English. New events start with the default lists.',
    kind: {
      product_group: 'Product groups', ambition_goal: 'Circular ambition map', business_model: 'Business models',
      evidence_kind: 'Kinds of evidence', dialogue_theme: 'Market dialogue themes',
    },
    hint: {
      product_group: 'What is bought and offered, e.g. office furniture or ICT.',
      ambition_goal: 'Goals A to E, each with numbered strategies. Buyers state ambitions; suppliers say which strategies their offer serves.',
      business_model: 'Circular business models a supplier can offer, e.g. product-as-a-service.',
      evidence_kind: 'Proof that backs a circular claim, e.g. a type I ecolabel or an LCA.',
      dialogue_theme: 'Themes for the market dialogues.',
    },
    add: {
      product_group: 'Add a product group', ambition_goal: 'Add a goal', business_model: 'Add a business model',
      evidence_kind: 'Add a kind of evidence', dialogue_theme: 'Add a theme',
    },
    add_strategy_to: 'Add a strategy to goal {code}', strategies_of: 'Strategies of {name}',
    name_nl: 'Name in Dutch', name_en: 'Name in English', code: 'Code', code_hint: 'Left empty, it is made for you.',
    empty: 'Nothing in this list yet.',
    edit_of: 'Edit {name}', delete_of: 'Delete {name}',
    added: '“{name}” added.', saved: '“{name}” saved.', deleted: '“{name}” deleted.',
    delete_title: 'Delete “{name}”?', delete_text: 'Participants who chose it lose that choice.',
    delete_goal_text: { one: 'Its {n} strategy is removed too, and participants who chose them lose that choice.', other: 'Its {n} strategies are removed too, and participants who chose them lose that choice.' },
  },
  participants: {
    lead: 'Everyone in the event. Approve suppliers, invite people one by one or import a list.',
    list_title: 'People', search: 'Search', search_placeholder: 'Name, email or organisation',
    filter_role: 'Role', filter_status: 'Status', all_roles: 'All roles', all_statuses: 'All statuses',
    count: { one: '{n} person', other: '{n} people' }, table_caption: 'Participants',
    col: { name: 'Name', organisation: 'Organisation', role: 'Role', status: 'Status', since: 'Since', actions: 'Actions' },
    empty_title: 'No participants yet', empty_text: 'Invite people below, import a list, or open registration in the details.',
    none_match_title: 'Nobody matches', none_match_text: 'Try another search or clear the filters.',
    action: { approve: 'Approve', decline: 'Decline', cancel: 'Cancel', invite: 'Send invitation' },
    action_of: { approve: 'Approve {name}', decline: 'Decline {name}', cancel: 'Cancel the participation of {name}', invite: 'Send the invitation to {name} again' },
    decline_title: 'Decline {name}?', decline_text: 'They get an email that their registration was not accepted.',
    cancel_title: 'Cancel the participation of {name}?', cancel_text: 'They no longer take part; their meetings are freed.',
    done: {
      approved: '{name} is approved.', declined: '{name} is declined.', cancelled: 'The participation of {name} is cancelled.',
      invitation: 'Invitation sent to {name}.',
    },
    invite_title: 'Invite one person', invite_text: 'They get an email with a link to log in; no password needed.',
    send_invitation: 'Send the invitation email now', send_invitation_hint: 'Untick to add them quietly and invite later.',
    invite_submit: 'Invite', invited: '{name} was added.', invited_sent: '{name} was invited.',
  },
  import: {
    title: 'Import a list', text: 'A CSV file from a spreadsheet, one person per line. Nothing is imported until every line is right.',
    file: 'CSV file', paste: 'Or paste the lines here',
    columns: 'First line: the column names. Required: name, email. Optional: organisation, role (buyer, supplier, facilitator, organiser), language (nl, en), job_title, phone. Comma or semicolon.',
    check: 'Check the list', checking: 'Checking the list…', import: 'Import and invite', template: 'Download a template',
    changed: 'The list changed. Check it again before importing.',
    ready: { one: '{n} person is ready to import.', other: '{n} people are ready to import.' },
    ready_text: 'Every line is right. Importing sends each person an invitation.',
    problems: { one: '{n} line needs fixing.', other: '{n} lines need fixing.' },
    problems_text: 'Fix the lines marked below in your file and check again. Nothing is imported until every line is right.',
    preview_caption: 'Every line of the list and its problems', row_ok: 'OK',
    col: { line: 'Line', problems: 'Problems' },
    imported: { one: '{n} person imported.', other: '{n} people imported.' },
    invited: { one: '{n} invitation sent.', other: '{n} invitations sent.' },
  },
  register: {
    title: 'Register for {name}', eyebrow: 'Registration', form_title: 'Register',
    role_legend: 'I take part as',
    as: { buyer: 'Buyer', supplier: 'Supplier' },
    as_text: {
      buyer: 'I buy for my organisation and look for circular products and services.',
      supplier: 'I offer circular products or services and want to meet buyers.',
    },
    email_hint: 'We send your confirmation and login link here.',
    privacy: 'Your details are shared with the organisers of this event, and your name and organisation with the people you meet.',
    submit: 'Register',
    done_title: 'Check your email', done_text_after: '. Open the link in it to confirm your registration.',
    done_approval: 'Suppliers are approved by the organiser; you will hear from us.',
    closed_title: 'Registration is closed', closed_text: 'Registration for this event is not open. Contact the organiser if you want to take part.',
    not_found_text: 'We could not find an event with open registration at this address. Check the link, or contact the organiser.',
  },
  profile: {
    title: 'My profile', lead: 'Organisers of your events and the people you meet see these details.',
    email: 'Email address', email_hint: 'You log in with this address. To change it, contact an organiser.',
    name: 'Full name', organisation: 'Organisation', job_title: 'Job title', phone: 'Phone',
    language: 'Preferred language', language_hint: 'For this website and for emails.',
    saved: 'Your profile is saved.', participations: 'My events',
    logout_title: 'Log out', logout_text: 'Log out on this device. You can always log in again with a link.',
  },
  organisation: {
    title: 'My organisation',
    lead: 'The members of an organisation write its factsheets together and see each other here. Nobody joins by typing a name: a member or an organiser lets them in.',
    none: 'You do not belong to an organisation yet.',
    members: 'Members', requests: 'Asking to join', requests_none: 'Nobody is asking to join.',
    via: { existing: 'Member', founded: 'Founded it', added: 'Let in by a member', assigned: 'Assigned by an organiser', demo: 'Demo' },
    by: 'by {name}', since: 'since {date}', asked: 'asked on {date}', you: '(you)',
    remove: 'Remove', remove_of: 'Remove {name} from {org}', leave: 'Leave', leave_of: 'Leave {org}',
    remove_title: 'Remove {name}?', remove_text: 'They no longer see or edit the factsheets and files of {org}.',
    leave_title: 'Leave {org}?', leave_text: 'You no longer see or edit its factsheets and files. To come back, a member has to let you in.',
    removed: '{name} no longer belongs to {org}.', left: 'You left {org}.',
    confirm: 'Let in', decline: 'Decline', confirm_of: 'Let {name} into {org}', decline_of: 'Decline the request of {name} to join {org}',
    confirmed: '{name} now belongs to {org}.', declined: 'The request of {name} is declined.',
    pending: 'You asked to join {org}. One of its members, or an organiser of your event, decides.',
    join_title: 'Found or join an organisation', change_title: 'Another organisation',
    change_text: 'A name nobody uses yet founds a new organisation with you as its first member. If the organisation exists, your request goes to its members and the organisers.',
    name: 'Organisation name', submit: 'Send',
    founded: 'You are a member of {org}.', requested: 'Your request to join {org} is sent.', unchanged: 'You belong to {org}.',
    asks_to_join: 'asks to join {org}',
    organiser_title: 'Organisations', organiser_requests: 'Requests to join an organisation',
    organiser_text: 'People who named an existing organisation wait until one of its members or an organiser lets them in. You can also put a participant in an organisation that takes part in this event.',
    assign_person: 'Participant', assign_org: 'Organisation', assign_submit: 'Assign', choose: 'Choose…',
    assigned: '{name} now belongs to {org}.',
  },
  registration: {
    title: 'Your registration', home_title: 'Awaiting approval',
    awaiting_text: 'The organisers check registrations before the event opens to you. You get an email as soon as they decide; until then only this page is open to you.',
  },
  catalogue: {
    title: 'Catalogue', lead: 'The circular offers of this event’s suppliers, with the evidence behind every claim.',
    card_text: 'Suppliers’ factsheets, searchable by product group, ambition and evidence.',
    browse: 'Browse the catalogue', back_to_event: 'Back to the event', back_to_catalogue: 'Back to the catalogue',
    search_label: 'Search the catalogue', search_placeholder: 'Search, e.g. office chairs, LED, refurbished laptops', search_button: 'Search',
    filters: 'Filters', no_filters: 'Filters appear once factsheets are published.', clear_filters: 'Clear all filters',
    remove_filter: 'Remove filter {name}', results: { one: '{n} factsheet', other: '{n} factsheets' },
    sort_label: 'Sort by', sort: { relevance: 'Best match', title: 'Title', newest: 'Newest', stand: 'Stand number' },
    facet: {
      product_group: 'Product group', goal: 'Ambition', strategy: 'Strategy', business_model: 'Business model',
      evidence: 'Evidence', language: 'Language', country: 'Country',
    },
    empty_title: 'No factsheets found', empty_text: 'No factsheets are published yet.',
    empty_text_search: 'Try other words, or remove a filter.',
    pages: 'Pages', previous: 'Previous', next: 'Next', page_of: 'Page {page} of {pages}',
    print: 'Print catalogue', print_title: 'Printed catalogue', print_now: 'Print', contents: 'Contents',
    also_in_group: 'Also offered in this group',
  },
  factsheets: {
    title_mine: 'My factsheets', title_all: 'Factsheets',
    lead_mine: 'Factsheets present your offer in the event’s catalogue. The organisers review each one before it is published.',
    lead_all: 'Every factsheet of the event, in every state. Export them, or review the ones waiting.',
    new: 'New factsheet', count: { one: '{n} factsheet', other: '{n} factsheets' },
    col: { title: 'Title', status: 'State', stand: 'Stand', updated: 'Last change' },
    empty_title: 'No factsheets yet', empty_text: 'Suppliers have not written a factsheet yet.',
    empty_text_supplier: 'Write your first factsheet: what you offer, which circular ambitions it serves and the evidence for each claim.',
  },
  factsheet: {
    untitled: '(no title yet)', new_title: 'New factsheet',
    new_lead: 'Write in Dutch, English or both. You can save a draft at any time; submit it when it is complete.',
    back_to_list: 'Back to my factsheets',
    status: { draft: 'Draft', submitted: 'Waiting for review', returned: 'Sent back', published: 'Published', pending: 'Published, changes waiting' },
    state: 'State',
    state_text: {
      draft: 'A draft: only your organisation sees it. Submit it for review when it is complete.',
      submitted: 'Submitted: the organisers review it. You can still change it, or withdraw it.',
      returned: 'The organisers sent it back. Change what they ask and submit it again.',
      published: 'Published: buyers find it in the catalogue.',
      pending: 'Published; your latest changes wait for review.',
    },
    still_published: 'The catalogue keeps showing the published version until the organisers approve the new one.',
    review_comment: 'The organiser’s comment', self_declared_list: 'Claims without evidence: {codes}.',
    stand_n: 'Stand {stand}',
    in_lang: { nl: 'In Dutch', en: 'In English' },
    field_in_lang: '{field} ({lang})', lang_short: { nl: 'NL', en: 'EN' },
    file_missing: 'file no longer available',
    section_texts: 'Title and texts', section_texts_hint: 'Fill in at least one language. A title needs a short pitch in the same language.',
    pitch_hint: 'One or two sentences, at most 300 characters: shown on the catalogue card.',
    section_offer: 'Your offer', product_groups: 'Product groups', business_models: 'Business models',
    price_model: 'Indicative price model', price_hint: 'E.g. “from € 9 per workstation per month”.',
    tco: 'Total cost of ownership', tco_hint: 'What the offer costs over its whole life compared with buying new.',
    claims: 'Circular claims', claims_hint: 'Each ambition strategy your offer serves, with the evidence for it. A claim without evidence is shown as self-declared.',
    claim: 'Claim', strategy: 'Ambition strategy', claim_explanation: 'How your offer does this',
    evidence: 'Evidence', evidence_kind: 'Kind of evidence', evidence_title: 'Title', evidence_url: 'Link',
    upload_pdf: 'Upload a PDF instead', add_evidence: 'Add evidence', remove_evidence: 'Remove evidence',
    add_claim: 'Add a claim', remove_claim: 'Remove claim', choose: 'Choose…',
    self_declared: 'Self-declared', self_declared_hint: 'Claimed without evidence',
    self_declared_warning: 'Without evidence, buyers see this claim as self-declared.',
    no_claims: 'No circular claims.',
    reference_cases: 'Reference cases', add_case: 'Add a reference case', remove_case: 'Remove reference case',
    case_title: 'Project', case_client: 'Client', case_description: 'What was delivered', case_url: 'Link',
    section_visuals: 'Logo and images', section_visuals_hint: 'PNG, JPEG, GIF or WebP. We resize them; at most 6 images.',
    logo: 'Logo', image: 'Image', images: 'Images', upload_logo: 'Upload a logo', upload_images: 'Upload images', remove_file: 'Remove',
    uploading: 'Uploading {name}…', uploaded: '{name} uploaded.', logo_of: 'Logo of {name}', image_alt: 'Image: {name}',
    contact: 'Contact', country_hint: 'Two letters, e.g. BE or NL.',
    field: {
      title_nl: 'Title', title_en: 'Title', pitch_nl: 'Pitch', pitch_en: 'Pitch', description_nl: 'Description', description_en: 'Description',
      product_groups: 'Product groups', business_models: 'Business models', claims: 'Circular claims',
      price_model_nl: 'Indicative price model', price_model_en: 'Indicative price model',
      tco_statement_nl: 'Total cost of ownership', tco_statement_en: 'Total cost of ownership', reference_cases: 'Reference cases', contact_name: 'Contact person',
      contact_email: 'Contact email', contact_phone: 'Contact phone', website: 'Website', country: 'Country',
      logo_upload_id: 'Logo', image_upload_ids: 'Images',
    },
    save_draft: 'Save draft', save_submit: 'Save and submit for review', save_publish: 'Save and publish',
    saved: 'Saved.', submitted: 'Submitted for review.', published_now: 'Saved and published.',
    withdraw: 'Withdraw from review', withdrawn: 'Withdrawn: it is a draft again.', view_in_catalogue: 'View in the catalogue',
    delete_title: 'Delete this factsheet?', delete_text: 'The factsheet and its history are deleted. This cannot be undone.',
    delete_published_text: 'It disappears from the catalogue, and its history is deleted. This cannot be undone.',
    deleted: 'The factsheet is deleted.',
    needed_to_submit: 'Needed to submit; a draft may go without.', too_many_images: 'At most {n} images: the first ones are uploaded.',
    changed_live: 'The organisers just changed the state of this factsheet: {status}.', reload: 'Show the latest state',
  },
  review: {
    title: 'Review queue', lead: 'Approve factsheets for the catalogue, or send them back with what to change. Claims without evidence are listed below.',
    waiting: { one: '{n} factsheet waiting', other: '{n} factsheets waiting' },
    submitted_at: 'submitted {when}', new_factsheet: 'New', change_to_published: 'Change to a published factsheet',
    empty_title: 'Nothing waits for review', empty_text: 'Submitted factsheets appear here.',
    self_declared_title: 'Claims without evidence', self_declared_lead: 'Shown as self-declared to buyers. Ask suppliers for evidence where it matters.',
    self_declared_none: 'Every claim has evidence.', in_catalogue: 'In the catalogue', waiting_only: 'Waiting for review',
    back_to_queue: 'Back to the review queue', working_copy: 'The version to review', differences: 'What changed',
    compare_from: 'From version', compare_to: 'To version', no_changes: 'These versions are the same.',
    field: 'Field', before: 'Before', after: 'After', empty_value: '(empty)',
    decision: 'Decision', comment: 'Comment for the supplier', comment_hint: 'Required when you send it back: say what to change.',
    approve: 'Approve and publish', send_back: 'Send back', approved: 'Approved: the factsheet is in the catalogue.',
    returned: 'Sent back to the supplier.',
    not_waiting: {
      draft: 'This factsheet is not submitted: nothing to decide now.', returned: 'Sent back; waiting for the supplier.',
      published: 'Published; nothing waits for review.', submitted: '',
    },
    stand: 'Stand number', stand_hint: 'E.g. B12. Leave empty to remove it.', stand_saved: 'The stand number is saved.',
    history: 'History',
    action: {
      created: 'Created', saved: 'Saved', submitted: 'Submitted', withdrawn: 'Withdrawn', returned: 'Sent back',
      approved: 'Approved', published: 'Published directly', stand: 'Stand changed',
    },
  },
  needs: {
    title_mine: 'My purchasing needs', title_all: 'Buyers’ needs',
    lead_mine: 'Tell suppliers what you are looking for. They see it only if you allow it.',
    lead_supplier: 'What buyers of this event are looking for, as far as they share it with suppliers.',
    lead_all: 'Every buyer’s needs profile, shared or not.',
    product_groups: 'Product groups you buy', strategies: 'Circular ambitions', strategies_hint: 'The strategies you want suppliers to help you with.',
    project: 'An upcoming purchasing project', project_what: 'What do you plan to buy?', project_when: 'When',
    project_when_hint: 'E.g. “tender in Q2 2027”.', budget_min: 'Budget from (€)', budget_max: 'Budget up to (€)',
    share: 'Suppliers of this event may read my needs', share_hint: 'Organisers always see them.',
    saved: 'Your needs are saved.', count: { one: '{n} buyer', other: '{n} buyers' },
    none_title: 'No needs shared yet', none_text: 'Buyers’ needs appear here once they write and share them.',
    not_shared: 'Not shared with suppliers', budget_from: 'from {amount}', budget_up_to: 'up to {amount}',
  },
  error: {
    upload_too_large: 'This file is too large, or the image has too many pixels. Make it smaller and try again.',
    unsupported_upload_type: 'This kind of file is not accepted: images must be PNG, JPEG, GIF or WebP, documents PDF. We look at the content, not the name.',
    upload_type_mismatch: 'The file name’s extension does not match its content. Rename the file with the right extension.',
    upload_filename_invalid: 'This file name cannot be used. Rename the file (letters, digits, spaces, dashes) and try again.',
    upload_unreadable: 'This image cannot be read. Is the file complete?',
    upload_empty: 'This file is empty.',
    bad_request: 'The request was not understood. Please reload the page and try again.',
    invalid_json: 'The request was not understood. Please reload the page and try again.',
    login_link_invalid: 'This login link was already used or has expired.',
    not_logged_in: 'You are not logged in (any more). Log in again to continue.',
    forbidden: 'You are not allowed to do this.',
    csrf_failed: 'Your session changed in another window. Reload the page and try again.',
    not_found: 'This no longer exists, or you do not have access to it.',
    conflict: 'This clashes with something that already exists.',
    payload_too_large: 'This is too large to send. Split the file into smaller parts.',
    unsupported_media_type: 'This kind of file is not accepted.',
    validation_failed: 'Some values are not right.',
    import_has_problems: 'Nothing was imported: some lines have problems.',
    invalid_csv: 'This file cannot be read as a list of participants. The first line must name the columns (at least name and email), and the file must be saved as CSV UTF-8.',
    registration_closed: 'Registration for this event is closed.',
    rate_limited: 'Too many attempts in a short time. Please wait a few minutes and try again.',
    timeout: 'This took too long on our side. Please try again in a moment.',
    internal: 'Something went wrong on our side. Please try again in a moment.',
    network: 'We cannot reach matchfloor. Check your internet connection and try again.',
  },
  field_error: {
    required: 'This is required.',
    invalid_email: 'This is not a valid email address.',
    missing_name: 'The name is missing.',
    not_in_event: 'Choose an organisation that takes part in this event.',
    unknown_role: 'Unknown role: use buyer, supplier, facilitator or organiser.',
    unknown_language: 'Unknown language: use nl or en.',
    duplicate_in_file: 'This email address is already on another line.',
    already_in_event: 'This person already takes part in the event.',
    wrong_column_count: 'This line has a different number of columns than the first line.',
    invalid_date: 'This is not a valid date.',
    invalid_time: 'This is not a valid time (HH:MM).',
    invalid_timezone: 'Unknown time zone. Use an IANA name such as Europe/Brussels.',
    invalid_slug: 'Use lowercase letters, digits and hyphens only.',
    too_long: 'This is too long.',
    control_character: 'Line breaks, tabs and other invisible control characters are not allowed here.',
    too_short: 'This is too short.',
    out_of_range: 'This value is outside the allowed range.',
    overlap: 'This overlaps with another time slot or break.',
    conflict: 'This is already in use.',
    end_before_start: 'The end must be after the start.',
    forbidden: 'You are not allowed to change this.',
    not_found: 'This does not exist (any more).',
    invalid_value: 'This value is not allowed.',
    room_name_taken: 'There is already a room with this name.',
    code_taken: 'This code is already used in this list; choose another one.',
    slug_taken: 'This web address is already taken; choose another one.',
    unknown_goal: 'A strategy belongs to an existing goal.',
    unknown_field: 'This field is not expected here. Please reload the page and try again.',
    line_break_in_field: 'A value runs over several lines: is a quote (") never closed?',
    invalid_code: 'Use letters, digits, dashes and underscores only.',
    not_allowed: 'This cannot be changed here.',
    announcement_empty: 'Write the announcement in Dutch, English or both.',
    choose_role: 'Choose at least one role.',
    choose_person: 'Choose at least one person.',
    title_required: 'Give the factsheet a title in Dutch or English.',
    case_title_required: 'Give the reference case a title in Dutch or English.',
    comment_required: 'Say what the supplier should change.',
    changed_meanwhile: 'The supplier changed the factsheet meanwhile. Reload the page to review the latest version.',
    less_than_min: 'This is less than the minimum.',
    negative: 'This cannot be negative.',
    link_or_document: 'Give a link or upload a document, not both.',
    invalid_url: 'This is not a web address (start with https://).',
    invalid_country: 'Use a two-letter country code, e.g. BE.',
    unknown_code: 'This choice is not in the event’s lists (any more).',
    unknown_upload: 'This file is not available (any more). Upload it again.',
    duplicate: 'This is chosen twice.',
    too_many: 'There are too many of these.',
  },
};

const nl = {
  a11y: { skip: 'Naar de inhoud' },
  lang: { nl: 'Nederlands', en: 'English' },
  nav: {
    main: 'Hoofdmenu', language: 'Taal', my_events: 'Mijn events', profile: 'Profiel', logout: 'Afmelden',
    home_label: 'matchfloor, naar mijn events',
  },
  footer: {
    tagline: 'Buyer meets Supplier: matchmaking voor circulair aankopen',
    license: 'Open source onder de AGPL-3.0-licentie.',
  },
  common: {
    loading: 'Laden…', optional: '(optioneel)', save: 'Opslaan', save_changes: 'Wijzigingen opslaan', cancel: 'Annuleren',
    delete: 'Verwijderen', add: 'Toevoegen', retry: 'Opnieuw proberen', copy: 'Kopiëren', copied: 'Gekopieerd naar het klembord.',
    copy_failed: 'Kopiëren lukte niet; selecteer de link en kopieer hem zelf.',
  },
  form: { fix_problems: 'Kijk de gemarkeerde velden na.' },
  auth: { logged_out: 'Je bent afgemeld.' },
  page: {
    not_found_title: 'Pagina niet gevonden', not_found_text: 'Deze pagina bestaat niet, of je hebt er geen toegang toe.',
    forbidden_title: 'Geen toegang', offline_title: 'Geen verbinding', error_title: 'Er ging iets mis',
    request_id: 'Referentie voor support: {id}',
  },
  login: {
    title: 'Aanmelden', eyebrow: 'Buyer meets Supplier',
    headline: 'Ontmoet de circulaire aanbieders en aankopers die voor jou tellen',
    lead: 'matchfloor organiseert matchmaking-events voor circulair aankopen: één-op-ééngesprekken, marktdialogen en een catalogus van aanbieders, op één namiddag.',
    needs_login_title: 'Meld je aan om verder te gaan', needs_login_text: 'Deze pagina is voor deelnemers. Meld je aan met je e-mailadres; je krijgt een link, een wachtwoord is niet nodig.',
    feature_meetings: 'Eén-op-ééngesprekken aan vaste tafels en op vaste tijden',
    feature_catalogue: 'Een catalogus van circulaire oplossingen, met het bewijs erbij',
    feature_agenda: 'Je persoonlijke agenda, op je gsm en op papier',
    card_title: 'Aanmelden met je e-mailadres', card_text: 'Geen wachtwoord: we mailen je een link waarmee je je aanmeldt.',
    email_label: 'E-mailadres', send_link: 'Stuur me een link',
    check_mail_title: 'Kijk in je mailbox', check_mail_text_before: 'We stuurden een aanmeldlink naar', check_mail_text_after: '. Open hem op dit toestel om je aan te melden.',
    tip_once: 'De link werkt één keer en maar een korte tijd.',
    tip_spam: 'Na een paar minuten nog niets? Kijk in je map met spam of reclame.',
    tip_tab: 'De link opent een nieuw tabblad; dit tabblad meldt zich vanzelf aan zodra je bevestigt.',
    send_again: 'Stuur de link opnieuw', sent_again: 'We stuurden een nieuwe link.', use_other: 'Ander adres gebruiken',
    rate_limited: 'Je vroeg op korte tijd meerdere links aan. Wacht enkele minuten en probeer het dan opnieuw; de laatste link die we stuurden werkt nog.',
  },
  confirm: {
    title: 'Aanmelden bevestigen', heading: 'Aanmelden bij matchfloor',
    text: 'Je opende een aanmeldlink uit je e-mail. Klik op de knop om je op dit toestel aan te melden.',
    why: 'We vragen deze klik zodat een mailscanner die de link opent, hem niet kan opgebruiken.',
    button: 'Meld me aan', welcome: 'Welkom, {name}.',
    invalid_title: 'Deze link werkt niet meer',
    invalid_text: 'Deze aanmeldlink werd al gebruikt of is verlopen. Een link werkt maar één keer en een korte tijd.',
    no_token: 'Deze pagina heeft de volledige link uit je e-mail nodig. Open de link uit de e-mail opnieuw, of vraag een nieuwe aan.',
    invalid_help: 'Geen probleem: vraag hieronder een nieuwe link aan.', new_link_title: 'Stuur me een nieuwe link',
  },
  home: {
    title: 'Mijn events', greeting: 'Welkom', greeting_name: 'Welkom, {name}',
    subtitle: 'De events waaraan je deelneemt, verschijnen hier.',
    count: { one: '{n} event', other: '{n} events' },
    new_event: 'Nieuw event', upcoming: 'Binnenkort', past: 'Voorbije events',
    empty_title: 'Je neemt nog niet deel aan een event',
    empty_text: 'Zodra een organisator je uitnodigt, of je je inschrijft via de inschrijvingspagina van een event, verschijnt het hier.',
    empty_admin_title: 'Nog geen events', empty_admin_text: 'Maak het eerste event aan: eerst datum, locatie en tijdzone; het rooster van tijdsloten komt daarna.',
  },
  role: { organiser: 'Organisator', facilitator: 'Facilitator', supplier: 'Aanbieder', buyer: 'Aankoper', admin: 'Platformbeheerder' },
  status: {
    invited: 'Uitgenodigd', registered: 'Ingeschreven', approved: 'Goedgekeurd', declined: 'Geweigerd', cancelled: 'Geannuleerd',
    awaiting: 'Wacht op goedkeuring',
  },
  event: {
    name: 'Naam van het event', slug: 'Webadres', slug_hint: 'Kleine letters, cijfers en koppeltekens; staat in de inschrijvingslink. Leeg gelaten, maken we het van de naam.',
    start_date: 'Begindatum', start_date_hint: 'De (eerste) dag van het event.', end_date: 'Einddatum', end_date_hint: 'Alleen voor events van meer dan één dag.',
    timezone: 'Tijdzone', timezone_hint: 'Alle tijden van het event worden in deze zone getoond.',
    timezone_other_option: 'Andere tijdzone…', timezone_other: 'Tijdzone (IANA-naam, bv. Europe/Brussels)',
    venue: 'Locatie', venue_hint: 'Naam en adres, zoals deelnemers het moeten zien.',
    description: 'Beschrijving', description_hint: 'Schrijf ze in elke taal van het event; lezers zien hun eigen taal, of de andere waar die van hen leeg is.',
    description_nl: 'Beschrijving in het Nederlands', description_en: 'Beschrijving in het Engels', languages: 'Talen van het event', languages_hint: 'Deelnemers kiezen een van deze talen voor e-mails.',
    registration_open: 'Inschrijvingen zijn open', registration_open_hint: 'Aankopers en aanbieders kunnen zich zelf inschrijven op de publieke pagina.',
    supplier_approval: 'Aanbieders hebben goedkeuring nodig', supplier_approval_hint: 'Een organisator keurt elke aanbieder goed voor die deelneemt.',
    catalogue_public: 'De catalogus is openbaar', catalogue_public_hint: 'Iedereen met de link ziet de gepubliceerde factsheets, zonder aan te melden. Anders alleen deelnemers.',
    review_changes: 'Wijzigingen aan gepubliceerde factsheets nakijken', review_changes_hint: 'Een wijziging komt pas in de catalogus als een organisator ze goedkeurt. Uit: wijzigingen worden meteen gepubliceerd.',
    registration_open_badge: 'Inschrijvingen open',
    setup_link: 'Instellen', print: 'Programma afdrukken',
    when: 'Wanneer', hours: 'Programma', where: 'Waar', times_in: 'Tijden in {tz}',
    about: 'Over dit event', product_groups: 'Productgroepen', product_groups_empty: 'Nog geen productgroepen.',
    meetings_title: 'Mijn gesprekken', meetings_empty_title: 'Je gesprekken verschijnen hier zodra ze ingepland zijn',
    meetings_empty_text: 'De organisator plant de één-op-ééngesprekken voor het event. Je krijgt een e-mail met je agenda, en je ziet hem ook hier, met tafelnummers.',
    viewing_as_admin: 'Je bekijkt dit event als platformbeheerder; je bent geen deelnemer.',
    status_awaiting_title: 'Je inschrijving wacht op goedkeuring',
    status_awaiting_text: 'De organisator bekijkt elke aanbieder voor het event. Je krijgt een e-mail zodra je goedgekeurd bent.',
    status_text: {
      invited: 'Je bent uitgenodigd voor dit event. Je plaats is bevestigd zodra de organisator je gegevens heeft.',
      registered: 'Je bent ingeschreven voor dit event.',
      approved: 'Je deelname is bevestigd. Tot dan!',
      declined: 'De organisator kon je inschrijving voor dit event niet aanvaarden. Vragen? Antwoord op de e-mail die je kreeg.',
      cancelled: 'Je deelname aan dit event werd geannuleerd.',
    },
  },
  event_new: {
    title: 'Nieuw event', lead: 'Eerst de basis. Je kunt dit later allemaal wijzigen, en daarna het rooster, de zalen, tafels en deelnemers instellen.',
    submit: 'Event aanmaken', created: 'Event “{name}” aangemaakt. Volgende stap: het rooster.',
  },
  programme: {
    title: 'Programma', time: 'Tijd', activity: 'Activiteit', meeting_slot: 'Eén-op-ééngesprekken',
    meeting_slots: { one: '{n} gespreksslot', other: '{n} gespreksslots' },
    breaks: { one: '{n} pauze', other: '{n} pauzes' },
    empty_title: 'Nog geen programma', empty_text: 'De organisator heeft de tijdsloten nog niet gepubliceerd.',
    empty_text_organiser: 'Maak het rooster van gespreksslots en pauzes in de instellingen.', build_grid: 'Rooster maken',
  },
  slot: { kind_meeting: 'Gesprek', kind_break: 'Pauze' },
  role_plural: { organiser: 'Organisatoren', facilitator: 'Facilitators', supplier: 'Aanbieders', buyer: 'Aankopers' },
  live: {
    state: { connecting: 'Verbinden…', live: 'Live', reconnecting: 'Opnieuw verbinden…', offline: 'Offline' },
    state_hint: {
      connecting: 'Verbinden voor live updates.',
      live: 'Deze pagina werkt zichzelf bij.',
      reconnecting: 'De verbinding viel weg; we proberen opnieuw. De pagina haalt alles in zodra ze terug is.',
      offline: 'Geen internetverbinding. De pagina haalt alles in zodra je weer online bent.',
    },
    logged_out: 'Je bent afgemeld. Meld je opnieuw aan om verder te gaan.',
    access_ended: 'Je neemt niet meer deel aan dit event.',
  },
  announcements: {
    title: 'Mededelingen', new: 'Nieuwe mededeling', dismiss: 'De mededeling sluiten',
    empty_title: 'Nog geen mededelingen', empty_text: 'Berichten van de organisatoren verschijnen hier, zodra ze verstuurd zijn.',
    to_everyone: 'Aan iedereen', to_roles: 'Aan {roles}', to_you: 'Aan jou',
    to_people: { one: 'Aan {n} persoon', other: 'Aan {n} personen' },
    compose_title: 'Een mededeling schrijven',
    compose_hint: 'Schrijf in het Nederlands, het Engels of beide: iedereen leest de eigen taal, of de andere als die leeg is. Ze verschijnt meteen op de open pagina’s van wie ze bedoeld is.',
    body_nl: 'Tekst in het Nederlands', body_en: 'Tekst in het Engels',
    audience: 'Voor wie', audience_option: { everyone: 'Iedereen', roles: 'Rollen', people: 'Gekozen personen' },
    roles: 'Rollen', people: 'Personen', people_search: 'Personen zoeken', people_search_placeholder: 'Naam, e-mail of organisatie',
    people_none: 'Nog niemand gekozen.', people_empty: 'Er neemt nog niemand deel aan dit event.',
    people_chosen: { one: '{n} gekozen', other: '{n} gekozen' },
    people_matches: { one: '{n} persoon gevonden', other: '{n} personen gevonden' },
    send: 'Mededeling versturen', sent: 'Mededeling verstuurd.',
  },
  setup: {
    eyebrow: 'Instellingen', back_to_event: 'Terug naar het event', tabs_label: 'Onderdelen van de instellingen',
    tab: { details: 'Gegevens', grid: 'Rooster', rooms: 'Zalen', tables: 'Tafels', taxonomy: 'Lijsten', participants: 'Deelnemers' },
  },
  details: {
    lead: 'Wat deelnemers over het event te zien krijgen.', saved: 'Gegevens van het event opgeslagen.',
    registration_link: 'De inschrijvingen zijn open. Deel deze link met aankopers en aanbieders:',
    registration_closed: 'De inschrijvingen zijn gesloten. Open ze hieronder om een publieke inschrijvingslink te krijgen.',
  },
  grid: {
    lead: 'De tijdsloten voor één-op-ééngesprekken, en de pauzes. Tijden in {tz}.',
    generator_title: 'Een dag genereren', generator_text: 'Geef de uren, de duur van een gesprek en de pauzes; wij maken de slots. Dit vervangt de slots van die dag.',
    date: 'Datum', start: 'Begin', end: 'Einde', slot_minutes: 'Minuten per gesprek', gap_minutes: 'Minuten tussen gesprekken',
    kind: 'Soort', label: 'Omschrijving', label_placeholder: 'bv. Koffiepauze',
    breaks: 'Pauzes', breaks_hint: 'Tijdens een pauze worden geen gesprekken gepland.', no_breaks: 'Nog geen pauzes.',
    add_break: 'Pauze toevoegen', break_n: 'Pauze {n}', remove_break_n: 'Pauze {n} verwijderen', break_removed: 'Pauze verwijderd.',
    break_start: 'Pauze begint', break_end: 'Pauze eindigt', break_label: 'Naam', break_label_placeholder: 'Koffiepauze',
    preview: 'Dit geeft {meetings} en {breaks}.', preview_no_breaks: 'Dit geeft {meetings}.', preview_incomplete: 'Vul de uren en de duur van een gesprek in om te zien hoeveel slots dit geeft.',
    generate: 'Rooster genereren', generated: 'Rooster klaar: {summary}.',
    replace_title: 'Slots van deze dag vervangen?', replace_confirm: 'Slots vervangen',
    replace_warning: { one: 'Dit vervangt het {n} slot dat al op {date} staat.', other: 'Dit vervangt de {n} slots die al op {date} staan.' },
    slots_title: 'Slots', empty_title: 'Nog geen slots', empty_text: 'Genereer hierboven een dag, of voeg hieronder slots één voor één toe.',
    row_start: 'Begin van slot {time}', row_end: 'Einde van slot {time}', row_kind: 'Soort van slot {time}', row_label: 'Omschrijving van slot {time}',
    row_save: 'Slot {time} opslaan', row_delete: 'Slot {time} verwijderen',
    slot_saved: 'Slot {time} opgeslagen.', slot_deleted: 'Slot {time} verwijderd.', slot_added: 'Slot {time} toegevoegd.',
    delete_title: 'Slot {time} verwijderen?', delete_text: 'Gesprekken die in dit slot gepland zijn, hebben dan een nieuw tijdstip nodig.',
    add_slot: 'Een slot toevoegen', add_slot_submit: 'Slot toevoegen',
  },
  rooms: {
    lead: 'Zalen voor marktdialogen en pitchsessies, met het aantal plaatsen.',
    name: 'Naam van de zaal', capacity: 'Plaatsen', name_placeholder: 'bv. Zaal Aurora',
    count: { one: '{n} zaal', other: '{n} zalen' }, total_seats: '{n} plaatsen in totaal',
    name_of: 'Naam van zaal {name}', capacity_of: 'Plaatsen in zaal {name}', save_of: 'Zaal {name} opslaan', delete_of: 'Zaal {name} verwijderen',
    empty_title: 'Nog geen zalen', empty_text: 'Voeg de zalen toe waar marktdialogen en pitches plaatsvinden.',
    add: 'Een zaal toevoegen', add_submit: 'Zaal toevoegen', added: 'Zaal {name} toegevoegd.', saved: 'Zaal {name} opgeslagen.', deleted: 'Zaal {name} verwijderd.',
    delete_title: 'Zaal {name} verwijderen?', delete_text: 'Sessies die in deze zaal gepland zijn, hebben dan een andere zaal nodig.',
  },
  tables: {
    lead: 'De genummerde tafels waaraan de één-op-ééngesprekken plaatsvinden.',
    count: 'Aantal tafels', count_hint: 'De tafels krijgen de nummers 1 tot dit aantal; omschrijvingen blijven behouden.', set_count: 'Aantal instellen',
    count_saved: { one: 'Er is nu {n} tafel.', other: 'Er zijn nu {n} tafels.' },
    reduce_title: 'Tafels verwijderen?', reduce_confirm: 'Tafels verwijderen',
    reduce_text: { one: '{n} tafel boven nummer {count} wordt verwijderd.', other: '{n} tafels boven nummer {count} worden verwijderd.' },
    list_title: 'Tafels', number: 'Nr.', label: 'Omschrijving', label_placeholder: 'bv. bij de ingang',
    label_of: 'Omschrijving van tafel {n}', save_of: 'Tafel {n} opslaan', delete_of: 'Tafel {n} verwijderen',
    empty_title: 'Nog geen tafels', empty_text: 'Stel hierboven het aantal tafels in.',
    saved: 'Tafel {n} opgeslagen.', deleted: 'Tafel {n} verwijderd.',
    delete_title: 'Tafel {n} verwijderen?', delete_text: 'Gesprekken aan deze tafel hebben dan een andere tafel nodig.',
  },
  taxonomy: {
    lead: 'De lijsten waaruit deelnemers kiezen, in het Nederlands en het Engels. Nieuwe events starten met de standaardlijsten.',
    kind: {
      product_group: 'Productgroepen', ambition_goal: 'Circulaire ambitiekaart', business_model: 'Businessmodellen',
      evidence_kind: 'Soorten bewijs', dialogue_theme: 'Thema’s voor marktdialogen',
    },
    hint: {
      product_group: 'Wat aangekocht en aangeboden wordt, bv. kantoormeubilair of ICT.',
      ambition_goal: 'Doelstellingen A tot E, elk met genummerde strategieën. Aankopers geven hun ambities op; aanbieders zeggen welke strategieën hun aanbod dient.',
      business_model: 'Circulaire businessmodellen die een aanbieder kan aanbieden, bv. product-as-a-service.',
      evidence_kind: 'Bewijs dat een circulaire claim onderbouwt, bv. een type I-milieulabel of een LCA.',
      dialogue_theme: 'Thema’s voor de marktdialogen.',
    },
    add: {
      product_group: 'Een productgroep toevoegen', ambition_goal: 'Een doelstelling toevoegen', business_model: 'Een businessmodel toevoegen',
      evidence_kind: 'Een soort bewijs toevoegen', dialogue_theme: 'Een thema toevoegen',
    },
    add_strategy_to: 'Een strategie toevoegen aan doelstelling {code}', strategies_of: 'Strategieën van {name}',
    name_nl: 'Naam in het Nederlands', name_en: 'Naam in het Engels', code: 'Code', code_hint: 'Leeg gelaten, maken we er een voor je.',
    empty: 'Deze lijst is nog leeg.',
    edit_of: '{name} bewerken', delete_of: '{name} verwijderen',
    added: '“{name}” toegevoegd.', saved: '“{name}” opgeslagen.', deleted: '“{name}” verwijderd.',
    delete_title: '“{name}” verwijderen?', delete_text: 'Deelnemers die dit kozen, verliezen die keuze.',
    delete_goal_text: { one: 'Ook de {n} strategie ervan wordt verwijderd, en deelnemers die ze kozen, verliezen die keuze.', other: 'Ook de {n} strategieën ervan worden verwijderd, en deelnemers die ze kozen, verliezen die keuze.' },
  },
  participants: {
    lead: 'Iedereen in het event. Keur aanbieders goed, nodig mensen één voor één uit of importeer een lijst.',
    list_title: 'Mensen', search: 'Zoeken', search_placeholder: 'Naam, e-mail of organisatie',
    filter_role: 'Rol', filter_status: 'Status', all_roles: 'Alle rollen', all_statuses: 'Alle statussen',
    count: { one: '{n} persoon', other: '{n} personen' }, table_caption: 'Deelnemers',
    col: { name: 'Naam', organisation: 'Organisatie', role: 'Rol', status: 'Status', since: 'Sinds', actions: 'Acties' },
    empty_title: 'Nog geen deelnemers', empty_text: 'Nodig hieronder mensen uit, importeer een lijst, of open de inschrijvingen bij de gegevens.',
    none_match_title: 'Niemand gevonden', none_match_text: 'Probeer een andere zoekterm of wis de filters.',
    action: { approve: 'Goedkeuren', decline: 'Weigeren', cancel: 'Annuleren', invite: 'Uitnodiging sturen' },
    action_of: { approve: '{name} goedkeuren', decline: '{name} weigeren', cancel: 'De deelname van {name} annuleren', invite: 'De uitnodiging opnieuw naar {name} sturen' },
    decline_title: '{name} weigeren?', decline_text: 'Deze persoon krijgt een e-mail dat de inschrijving niet aanvaard is.',
    cancel_title: 'De deelname van {name} annuleren?', cancel_text: 'Deze persoon neemt niet meer deel; de gesprekken komen vrij.',
    done: {
      approved: '{name} is goedgekeurd.', declined: '{name} is geweigerd.', cancelled: 'De deelname van {name} is geannuleerd.',
      invitation: 'Uitnodiging verstuurd naar {name}.',
    },
    invite_title: 'Eén persoon uitnodigen', invite_text: 'Deze persoon krijgt een e-mail met een link om zich aan te melden; geen wachtwoord nodig.',
    send_invitation: 'Stuur de uitnodiging nu', send_invitation_hint: 'Vink uit om iemand stil toe te voegen en later uit te nodigen.',
    invite_submit: 'Uitnodigen', invited: '{name} is toegevoegd.', invited_sent: '{name} is uitgenodigd.',
  },
  import: {
    title: 'Een lijst importeren', text: 'Een CSV-bestand uit een rekenblad, één persoon per regel. Er wordt niets geïmporteerd tot elke regel klopt.',
    file: 'CSV-bestand', paste: 'Of plak de regels hier',
    columns: 'Eerste regel: de kolomnamen. Verplicht: name, email. Optioneel: organisation, role (koper, aanbieder, facilitator, organisator), language (nl, en), job_title, phone. Komma of puntkomma.',
    check: 'Lijst nakijken', checking: 'De lijst wordt nagekeken…', import: 'Importeren en uitnodigen', template: 'Een sjabloon downloaden',
    changed: 'De lijst is gewijzigd. Kijk hem opnieuw na voor je importeert.',
    ready: { one: '{n} persoon is klaar om te importeren.', other: '{n} personen zijn klaar om te importeren.' },
    ready_text: 'Elke regel klopt. Bij het importeren krijgt iedereen een uitnodiging.',
    problems: { one: '{n} regel moet verbeterd worden.', other: '{n} regels moeten verbeterd worden.' },
    problems_text: 'Verbeter de gemarkeerde regels in je bestand en kijk opnieuw na. Er wordt niets geïmporteerd tot elke regel klopt.',
    preview_caption: 'Elke regel van de lijst en de problemen ervan', row_ok: 'OK',
    col: { line: 'Regel', problems: 'Problemen' },
    imported: { one: '{n} persoon geïmporteerd.', other: '{n} personen geïmporteerd.' },
    invited: { one: '{n} uitnodiging verstuurd.', other: '{n} uitnodigingen verstuurd.' },
  },
  register: {
    title: 'Inschrijven voor {name}', eyebrow: 'Inschrijving', form_title: 'Inschrijven',
    role_legend: 'Ik neem deel als',
    as: { buyer: 'Aankoper', supplier: 'Aanbieder' },
    as_text: {
      buyer: 'Ik koop aan voor mijn organisatie en zoek circulaire producten en diensten.',
      supplier: 'Ik bied circulaire producten of diensten aan en wil aankopers ontmoeten.',
    },
    email_hint: 'Hierheen sturen we je bevestiging en aanmeldlink.',
    privacy: 'Je gegevens worden gedeeld met de organisatoren van dit event, en je naam en organisatie met de mensen die je ontmoet.',
    submit: 'Inschrijven',
    done_title: 'Kijk in je mailbox', done_text_after: '. Open de link erin om je inschrijving te bevestigen.',
    done_approval: 'Aanbieders worden goedgekeurd door de organisator; je hoort nog van ons.',
    closed_title: 'De inschrijvingen zijn gesloten', closed_text: 'De inschrijvingen voor dit event zijn niet open. Neem contact op met de organisator als je wilt deelnemen.',
    not_found_text: 'We vonden geen event met open inschrijvingen op dit adres. Kijk de link na, of neem contact op met de organisator.',
  },
  profile: {
    title: 'Mijn profiel', lead: 'De organisatoren van je events en de mensen die je ontmoet, zien deze gegevens.',
    email: 'E-mailadres', email_hint: 'Met dit adres meld je je aan. Neem contact op met een organisator om het te wijzigen.',
    name: 'Volledige naam', organisation: 'Organisatie', job_title: 'Functie', phone: 'Telefoon',
    language: 'Voorkeurstaal', language_hint: 'Voor deze website en voor e-mails.',
    saved: 'Je profiel is opgeslagen.', participations: 'Mijn events',
    logout_title: 'Afmelden', logout_text: 'Meld je af op dit toestel. Je kunt je altijd opnieuw aanmelden met een link.',
  },
  organisation: {
    title: 'Mijn organisatie',
    lead: 'De leden van een organisatie schrijven samen haar factsheets en zien elkaar hier. Niemand wordt lid door een naam te typen: een lid of een organisator laat je toe.',
    none: 'Je hoort nog bij geen organisatie.',
    members: 'Leden', requests: 'Vragen om toegang', requests_none: 'Niemand vraagt om toegang.',
    via: { existing: 'Lid', founded: 'Heeft ze opgericht', added: 'Toegelaten door een lid', assigned: 'Toegewezen door een organisator', demo: 'Demo' },
    by: 'door {name}', since: 'sinds {date}', asked: 'gevraagd op {date}', you: '(jij)',
    remove: 'Verwijderen', remove_of: '{name} uit {org} verwijderen', leave: 'Verlaten', leave_of: '{org} verlaten',
    remove_title: '{name} verwijderen?', remove_text: 'Die persoon ziet en bewerkt de factsheets en bestanden van {org} niet meer.',
    leave_title: '{org} verlaten?', leave_text: 'Je ziet en bewerkt haar factsheets en bestanden niet meer. Om terug te komen moet een lid je toelaten.',
    removed: '{name} hoort niet meer bij {org}.', left: 'Je hebt {org} verlaten.',
    confirm: 'Toelaten', decline: 'Weigeren', confirm_of: '{name} toelaten tot {org}', decline_of: 'De vraag van {name} om bij {org} te horen weigeren',
    confirmed: '{name} hoort nu bij {org}.', declined: 'De vraag van {name} is geweigerd.',
    pending: 'Je hebt gevraagd om bij {org} te horen. Een van haar leden, of een organisator van je event, beslist.',
    join_title: 'Een organisatie oprichten of erbij horen', change_title: 'Een andere organisatie',
    change_text: 'Een naam die nog niemand gebruikt, richt een nieuwe organisatie op met jou als eerste lid. Bestaat de organisatie al, dan gaat je vraag naar haar leden en de organisatoren.',
    name: 'Naam van de organisatie', submit: 'Versturen',
    founded: 'Je bent lid van {org}.', requested: 'Je vraag om bij {org} te horen is verstuurd.', unchanged: 'Je hoort bij {org}.',
    asks_to_join: 'vraagt om bij {org} te horen',
    organiser_title: 'Organisaties', organiser_requests: 'Vragen om bij een organisatie te horen',
    organiser_text: 'Wie een bestaande organisatie opgaf, wacht tot een van haar leden of een organisator hem toelaat. Je kunt een deelnemer ook bij een organisatie zetten die aan dit event deelneemt.',
    assign_person: 'Deelnemer', assign_org: 'Organisatie', assign_submit: 'Toewijzen', choose: 'Kies…',
    assigned: '{name} hoort nu bij {org}.',
  },
  registration: {
    title: 'Je inschrijving', home_title: 'Wacht op goedkeuring',
    awaiting_text: 'De organisatoren bekijken inschrijvingen voor het event voor jou opengaat. Je krijgt een e-mail zodra ze beslissen; tot dan is alleen deze pagina voor jou open.',
  },
  catalogue: {
    title: 'Catalogus', lead: 'Het circulaire aanbod van de aanbieders op dit event, met het bewijs achter elke claim.',
    card_text: 'De factsheets van de aanbieders, doorzoekbaar op productgroep, ambitie en bewijs.',
    browse: 'De catalogus bekijken', back_to_event: 'Terug naar het event', back_to_catalogue: 'Terug naar de catalogus',
    search_label: 'Zoeken in de catalogus', search_placeholder: 'Zoek, bv. bureaustoelen, LED, refurbished laptops', search_button: 'Zoeken',
    filters: 'Filters', no_filters: 'Filters verschijnen zodra er factsheets gepubliceerd zijn.', clear_filters: 'Alle filters wissen',
    remove_filter: 'Filter {name} weghalen', results: { one: '{n} factsheet', other: '{n} factsheets' },
    sort_label: 'Sorteren op', sort: { relevance: 'Beste resultaat', title: 'Titel', newest: 'Nieuwste', stand: 'Standnummer' },
    facet: {
      product_group: 'Productgroep', goal: 'Ambitie', strategy: 'Strategie', business_model: 'Businessmodel',
      evidence: 'Bewijs', language: 'Taal', country: 'Land',
    },
    empty_title: 'Geen factsheets gevonden', empty_text: 'Er zijn nog geen factsheets gepubliceerd.',
    empty_text_search: 'Probeer andere woorden, of haal een filter weg.',
    pages: 'Pagina’s', previous: 'Vorige', next: 'Volgende', page_of: 'Pagina {page} van {pages}',
    print: 'Catalogus afdrukken', print_title: 'Gedrukte catalogus', print_now: 'Afdrukken', contents: 'Inhoud',
    also_in_group: 'Ook aangeboden in deze groep',
  },
  factsheets: {
    title_mine: 'Mijn factsheets', title_all: 'Factsheets',
    lead_mine: 'Met factsheets stel je je aanbod voor in de catalogus van het event. De organisatoren keuren elke factsheet na voor ze gepubliceerd wordt.',
    lead_all: 'Alle factsheets van het event, in elke stand van zaken. Exporteer ze, of keur de wachtende na.',
    new: 'Nieuwe factsheet', count: { one: '{n} factsheet', other: '{n} factsheets' },
    col: { title: 'Titel', status: 'Stand van zaken', stand: 'Stand', updated: 'Laatste wijziging' },
    empty_title: 'Nog geen factsheets', empty_text: 'De aanbieders schreven nog geen factsheet.',
    empty_text_supplier: 'Schrijf je eerste factsheet: wat je aanbiedt, welke circulaire ambities het dient en het bewijs voor elke claim.',
  },
  factsheet: {
    untitled: '(nog geen titel)', new_title: 'Nieuwe factsheet',
    new_lead: 'Schrijf in het Nederlands, het Engels of beide. Je kunt altijd een concept opslaan; dien het in als het volledig is.',
    back_to_list: 'Terug naar mijn factsheets',
    status: { draft: 'Concept', submitted: 'Wacht op nazicht', returned: 'Teruggestuurd', published: 'Gepubliceerd', pending: 'Gepubliceerd, wijzigingen wachten' },
    state: 'Stand van zaken',
    state_text: {
      draft: 'Een concept: alleen je organisatie ziet het. Dien het in ter nazicht als het volledig is.',
      submitted: 'Ingediend: de organisatoren kijken het na. Je kunt het nog wijzigen of terugtrekken.',
      returned: 'De organisatoren stuurden het terug. Pas aan wat ze vragen en dien het opnieuw in.',
      published: 'Gepubliceerd: aankopers vinden het in de catalogus.',
      pending: 'Gepubliceerd; je laatste wijzigingen wachten op nazicht.',
    },
    still_published: 'De catalogus toont de gepubliceerde versie tot de organisatoren de nieuwe goedkeuren.',
    review_comment: 'Opmerking van de organisator', self_declared_list: 'Claims zonder bewijs: {codes}.',
    stand_n: 'Stand {stand}',
    in_lang: { nl: 'In het Nederlands', en: 'In het Engels' },
    field_in_lang: '{field} ({lang})', lang_short: { nl: 'NL', en: 'EN' },
    file_missing: 'bestand niet meer beschikbaar',
    section_texts: 'Titel en teksten', section_texts_hint: 'Vul minstens één taal in. Bij een titel hoort een korte pitch in dezelfde taal.',
    pitch_hint: 'Eén of twee zinnen, hoogstens 300 tekens: zo verschijnt het op de kaart in de catalogus.',
    section_offer: 'Je aanbod', product_groups: 'Productgroepen', business_models: 'Businessmodellen',
    price_model: 'Indicatief prijsmodel', price_hint: 'Bv. “vanaf € 9 per werkplek per maand”.',
    tco: 'Totale eigendomskosten (TCO)', tco_hint: 'Wat het aanbod kost over de hele levensduur, vergeleken met nieuw kopen.',
    claims: 'Circulaire claims', claims_hint: 'Elke ambitiestrategie die je aanbod dient, met het bewijs ervoor. Een claim zonder bewijs wordt getoond als eigen verklaring.',
    claim: 'Claim', strategy: 'Ambitiestrategie', claim_explanation: 'Hoe je aanbod dit doet',
    evidence: 'Bewijs', evidence_kind: 'Soort bewijs', evidence_title: 'Titel', evidence_url: 'Link',
    upload_pdf: 'Of een pdf opladen', add_evidence: 'Bewijs toevoegen', remove_evidence: 'Bewijs weghalen',
    add_claim: 'Een claim toevoegen', remove_claim: 'Claim weghalen', choose: 'Kies…',
    self_declared: 'Eigen verklaring', self_declared_hint: 'Geclaimd zonder bewijs',
    self_declared_warning: 'Zonder bewijs zien aankopers deze claim als eigen verklaring.',
    no_claims: 'Geen circulaire claims.',
    reference_cases: 'Referentieprojecten', add_case: 'Een referentieproject toevoegen', remove_case: 'Referentieproject weghalen',
    case_title: 'Project', case_client: 'Klant', case_description: 'Wat er geleverd werd', case_url: 'Link',
    section_visuals: 'Logo en afbeeldingen', section_visuals_hint: 'PNG, JPEG, GIF of WebP. We passen de grootte aan; hoogstens 6 afbeeldingen.',
    logo: 'Logo', image: 'Afbeelding', images: 'Afbeeldingen', upload_logo: 'Een logo opladen', upload_images: 'Afbeeldingen opladen', remove_file: 'Weghalen',
    uploading: '{name} wordt opgeladen…', uploaded: '{name} is opgeladen.', logo_of: 'Logo van {name}', image_alt: 'Afbeelding: {name}',
    contact: 'Contact', country_hint: 'Twee letters, bv. BE of NL.',
    field: {
      title_nl: 'Titel', title_en: 'Titel', pitch_nl: 'Pitch', pitch_en: 'Pitch', description_nl: 'Beschrijving', description_en: 'Beschrijving',
      product_groups: 'Productgroepen', business_models: 'Businessmodellen', claims: 'Circulaire claims',
      price_model_nl: 'Indicatief prijsmodel', price_model_en: 'Indicatief prijsmodel',
      tco_statement_nl: 'Totale eigendomskosten', tco_statement_en: 'Totale eigendomskosten', reference_cases: 'Referentieprojecten', contact_name: 'Contactpersoon',
      contact_email: 'E-mail contactpersoon', contact_phone: 'Telefoon contactpersoon', website: 'Website', country: 'Land',
      logo_upload_id: 'Logo', image_upload_ids: 'Afbeeldingen',
    },
    save_draft: 'Concept opslaan', save_submit: 'Opslaan en indienen ter nazicht', save_publish: 'Opslaan en publiceren',
    saved: 'Opgeslagen.', submitted: 'Ingediend ter nazicht.', published_now: 'Opgeslagen en gepubliceerd.',
    withdraw: 'Terugtrekken uit nazicht', withdrawn: 'Teruggetrokken: het is weer een concept.', view_in_catalogue: 'Bekijken in de catalogus',
    delete_title: 'Deze factsheet verwijderen?', delete_text: 'De factsheet en haar geschiedenis worden verwijderd. Dit kan niet ongedaan gemaakt worden.',
    delete_published_text: 'Ze verdwijnt uit de catalogus en haar geschiedenis wordt verwijderd. Dit kan niet ongedaan gemaakt worden.',
    deleted: 'De factsheet is verwijderd.',
    needed_to_submit: 'Nodig om in te dienen; een concept kan zonder.', too_many_images: 'Hoogstens {n} afbeeldingen: de eerste worden opgeladen.',
    changed_live: 'De organisatoren wijzigden net de stand van zaken van deze factsheet: {status}.', reload: 'Toon de laatste stand van zaken',
  },
  review: {
    title: 'Nazicht', lead: 'Keur factsheets goed voor de catalogus, of stuur ze terug met wat er moet veranderen. Claims zonder bewijs staan hieronder.',
    waiting: { one: '{n} factsheet wacht', other: '{n} factsheets wachten' },
    submitted_at: 'ingediend {when}', new_factsheet: 'Nieuw', change_to_published: 'Wijziging van een gepubliceerde factsheet',
    empty_title: 'Niets wacht op nazicht', empty_text: 'Ingediende factsheets verschijnen hier.',
    self_declared_title: 'Claims zonder bewijs', self_declared_lead: 'Aankopers zien ze als eigen verklaring. Vraag aanbieders om bewijs waar het ertoe doet.',
    self_declared_none: 'Elke claim heeft bewijs.', in_catalogue: 'In de catalogus', waiting_only: 'Wacht op nazicht',
    back_to_queue: 'Terug naar het nazicht', working_copy: 'De versie om na te kijken', differences: 'Wat er veranderde',
    compare_from: 'Van versie', compare_to: 'Naar versie', no_changes: 'Deze versies zijn gelijk.',
    field: 'Veld', before: 'Voor', after: 'Na', empty_value: '(leeg)',
    decision: 'Beslissing', comment: 'Opmerking voor de aanbieder', comment_hint: 'Verplicht als je terugstuurt: zeg wat er moet veranderen.',
    approve: 'Goedkeuren en publiceren', send_back: 'Terugsturen', approved: 'Goedgekeurd: de factsheet staat in de catalogus.',
    returned: 'Teruggestuurd naar de aanbieder.',
    not_waiting: {
      draft: 'Deze factsheet is niet ingediend: er valt nu niets te beslissen.', returned: 'Teruggestuurd; wacht op de aanbieder.',
      published: 'Gepubliceerd; niets wacht op nazicht.', submitted: '',
    },
    stand: 'Standnummer', stand_hint: 'Bv. B12. Laat leeg om het weg te halen.', stand_saved: 'Het standnummer is opgeslagen.',
    history: 'Geschiedenis',
    action: {
      created: 'Aangemaakt', saved: 'Opgeslagen', submitted: 'Ingediend', withdrawn: 'Teruggetrokken', returned: 'Teruggestuurd',
      approved: 'Goedgekeurd', published: 'Meteen gepubliceerd', stand: 'Stand gewijzigd',
    },
  },
  needs: {
    title_mine: 'Mijn aankoopbehoeften', title_all: 'Behoeften van aankopers',
    lead_mine: 'Vertel aanbieders wat je zoekt. Ze zien het alleen als je dat toelaat.',
    lead_supplier: 'Wat de aankopers van dit event zoeken, voor zover ze het met aanbieders delen.',
    lead_all: 'Het behoefteprofiel van elke aankoper, gedeeld of niet.',
    product_groups: 'Productgroepen die je aankoopt', strategies: 'Circulaire ambities', strategies_hint: 'De strategieën waarbij aanbieders je kunnen helpen.',
    project: 'Een komend aankoopproject', project_what: 'Wat wil je aankopen?', project_when: 'Wanneer',
    project_when_hint: 'Bv. “aanbesteding in Q2 2027”.', budget_min: 'Budget vanaf (€)', budget_max: 'Budget tot (€)',
    share: 'Aanbieders van dit event mogen mijn behoeften lezen', share_hint: 'Organisatoren zien ze altijd.',
    saved: 'Je behoeften zijn opgeslagen.', count: { one: '{n} aankoper', other: '{n} aankopers' },
    none_title: 'Nog geen behoeften gedeeld', none_text: 'Behoeften van aankopers verschijnen hier zodra ze die invullen en delen.',
    not_shared: 'Niet gedeeld met aanbieders', budget_from: 'vanaf {amount}', budget_up_to: 'tot {amount}',
  },
  error: {
    upload_too_large: 'Dit bestand is te groot, of de afbeelding heeft te veel pixels. Maak het kleiner en probeer opnieuw.',
    unsupported_upload_type: 'Dit soort bestand wordt niet aanvaard: afbeeldingen in PNG, JPEG, GIF of WebP, documenten in pdf. We kijken naar de inhoud, niet naar de naam.',
    upload_type_mismatch: 'De extensie van de bestandsnaam past niet bij de inhoud. Geef het bestand de juiste extensie.',
    upload_filename_invalid: 'Deze bestandsnaam kan niet. Hernoem het bestand (letters, cijfers, spaties, streepjes) en probeer opnieuw.',
    upload_unreadable: 'Deze afbeelding is niet leesbaar. Is het bestand volledig?',
    upload_empty: 'Dit bestand is leeg.',
    bad_request: 'Het verzoek werd niet begrepen. Herlaad de pagina en probeer het opnieuw.',
    invalid_json: 'Het verzoek werd niet begrepen. Herlaad de pagina en probeer het opnieuw.',
    login_link_invalid: 'Deze aanmeldlink werd al gebruikt of is verlopen.',
    not_logged_in: 'Je bent niet (meer) aangemeld. Meld je opnieuw aan om verder te gaan.',
    forbidden: 'Je mag dit niet doen.',
    csrf_failed: 'Je sessie is gewijzigd in een ander venster. Herlaad de pagina en probeer het opnieuw.',
    not_found: 'Dit bestaat niet meer, of je hebt er geen toegang toe.',
    conflict: 'Dit botst met iets wat al bestaat.',
    payload_too_large: 'Dit is te groot om te versturen. Splits het bestand in kleinere delen.',
    unsupported_media_type: 'Dit soort bestand wordt niet aanvaard.',
    validation_failed: 'Sommige waarden kloppen niet.',
    import_has_problems: 'Er werd niets geïmporteerd: sommige regels hebben problemen.',
    invalid_csv: 'Dit bestand kan niet gelezen worden als lijst van deelnemers. De eerste regel moet de kolommen benoemen (minstens naam en e-mail) en het bestand moet bewaard zijn als CSV UTF-8.',
    registration_closed: 'De inschrijvingen voor dit event zijn gesloten.',
    rate_limited: 'Te veel pogingen op korte tijd. Wacht enkele minuten en probeer het dan opnieuw.',
    timeout: 'Dit duurde bij ons te lang. Probeer het zo dadelijk opnieuw.',
    internal: 'Er ging bij ons iets mis. Probeer het zo dadelijk opnieuw.',
    network: 'We kunnen matchfloor niet bereiken. Kijk je internetverbinding na en probeer het opnieuw.',
  },
  field_error: {
    required: 'Dit is verplicht.',
    not_in_event: 'Kies een organisatie die aan dit event deelneemt.',
    invalid_email: 'Dit is geen geldig e-mailadres.',
    missing_name: 'De naam ontbreekt.',
    unknown_role: 'Onbekende rol: gebruik koper, aanbieder, facilitator of organisator.',
    unknown_language: 'Onbekende taal: gebruik nl of en.',
    duplicate_in_file: 'Dit e-mailadres staat al op een andere regel.',
    already_in_event: 'Deze persoon neemt al deel aan het event.',
    wrong_column_count: 'Deze regel heeft een ander aantal kolommen dan de eerste regel.',
    invalid_date: 'Dit is geen geldige datum.',
    invalid_time: 'Dit is geen geldig tijdstip (UU:MM).',
    invalid_timezone: 'Onbekende tijdzone. Gebruik een IANA-naam zoals Europe/Brussels.',
    invalid_slug: 'Gebruik alleen kleine letters, cijfers en koppeltekens.',
    too_long: 'Dit is te lang.',
    control_character: 'Regeleinden, tabs en andere onzichtbare stuurtekens zijn hier niet toegestaan.',
    too_short: 'Dit is te kort.',
    out_of_range: 'Deze waarde valt buiten het toegelaten bereik.',
    overlap: 'Dit overlapt met een ander tijdslot of een pauze.',
    conflict: 'Dit is al in gebruik.',
    end_before_start: 'Het einde moet na het begin liggen.',
    forbidden: 'Je mag dit niet wijzigen.',
    not_found: 'Dit bestaat niet (meer).',
    invalid_value: 'Deze waarde is niet toegelaten.',
    room_name_taken: 'Er is al een zaal met deze naam.',
    code_taken: 'Deze code wordt al gebruikt in deze lijst; kies een andere.',
    slug_taken: 'Dit webadres is al in gebruik; kies een ander.',
    unknown_goal: 'Een strategie hoort bij een bestaande doelstelling.',
    unknown_field: 'Dit veld wordt hier niet verwacht. Herlaad de pagina en probeer opnieuw.',
    line_break_in_field: 'Een waarde loopt over meerdere regels: wordt een aanhalingsteken (") nooit gesloten?',
    invalid_code: 'Gebruik alleen letters, cijfers, koppeltekens en liggende streepjes.',
    not_allowed: 'Dit kan hier niet gewijzigd worden.',
    announcement_empty: 'Schrijf de mededeling in het Nederlands, het Engels of beide.',
    choose_role: 'Kies minstens één rol.',
    choose_person: 'Kies minstens één persoon.',
    title_required: 'Geef de factsheet een titel in het Nederlands of het Engels.',
    case_title_required: 'Geef het referentieproject een titel in het Nederlands of het Engels.',
    comment_required: 'Zeg wat de aanbieder moet veranderen.',
    changed_meanwhile: 'De aanbieder wijzigde de factsheet intussen. Laad de pagina opnieuw om de laatste versie na te kijken.',
    less_than_min: 'Dit is minder dan het minimum.',
    negative: 'Dit kan niet negatief zijn.',
    link_or_document: 'Geef een link of laad een document op, niet allebei.',
    invalid_url: 'Dit is geen webadres (begin met https://).',
    invalid_country: 'Gebruik een landcode van twee letters, bv. BE.',
    unknown_code: 'Deze keuze staat niet (meer) in de lijsten van het event.',
    unknown_upload: 'Dit bestand is niet (meer) beschikbaar. Laad het opnieuw op.',
    duplicate: 'Dit is twee keer gekozen.',
    too_many: 'Dit zijn er te veel.',
  },
};

export const dictionaries = { en, nl };

let current = 'en';
const listeners = new Set();

function lookup(dict, key) {
  let node = dict;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

function interpolate(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** The text for `key` in the current language (English if Dutch lacks it, the key itself as a last resort). */
export function t(key, vars) {
  let text = lookup(dictionaries[current], key);
  if (typeof text !== 'string') text = lookup(en, key);
  if (typeof text !== 'string') return key;
  return interpolate(text, vars);
}

/** Plural-aware text: the dictionary entry has `one` and `other` forms; `{n}` is the count. */
export function tn(key, n, vars = {}) {
  const forms = lookup(dictionaries[current], key) || lookup(en, key);
  if (!forms || typeof forms !== 'object') return key;
  const category = new Intl.PluralRules(current).select(n);
  const text = forms[category] ?? forms.other;
  return interpolate(text, { ...vars, n });
}

export function has(key) {
  return typeof lookup(dictionaries[current], key) === 'string' || typeof lookup(en, key) === 'string';
}

/** A person-readable message for an error from the API (or anything else thrown). */
export function errorMessage(err) {
  if (err && err.code && has(`error.${err.code}`)) return t(`error.${err.code}`);
  if (err && err.name === 'ApiError' && err.message) return err.message;
  return t('error.internal');
}

/** A person-readable message for one field problem {field, code, message}. */
export function fieldErrorMessage(problem) {
  if (problem && problem.code && has(`field_error.${problem.code}`)) return t(`field_error.${problem.code}`);
  return (problem && problem.message) || t('field_error.invalid_value');
}

/** The name of a taxonomy term in the current language. */
export function termName(term) {
  if (!term) return '';
  return current === 'nl' ? (term.name_nl || term.name_en) : (term.name_en || term.name_nl);
}

export function getLang() {
  return current;
}

/**
 * A text written per language (`content.title_nl`, `content.title_en`) in the reader's
 * language, else the other one: localText(content, 'title').
 */
export function localText(content, base) {
  const own = content[`${base}_${current}`];
  const other = content[`${base}_${current === 'nl' ? 'en' : 'nl'}`];
  return own || other || '';
}

/** The language localText took the text from, so screen readers pronounce it right. */
export function textLang(content, base) {
  return content[`${base}_${current}`] ? current : (current === 'nl' ? 'en' : 'nl');
}

/** BCP 47 locale for dates and numbers: Flemish Dutch, British English (day before month). */
export function locale() {
  return current === 'nl' ? 'nl-BE' : 'en-GB';
}

function storedLang() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(value) ? value : null;
  } catch {
    return null;
  }
}

export function hasStoredLang() {
  return storedLang() !== null;
}

function browserLang() {
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

function apply(lang) {
  current = lang;
  document.documentElement.lang = lang;
}

/** Pick the language: remembered choice, else the browser's. */
export function initLang() {
  apply(storedLang() || browserLang());
}

export function setLang(lang, { remember = true, silent = false } = {}) {
  if (!LANGS.includes(lang)) return;
  const changed = lang !== current;
  apply(lang);
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode */ }
  }
  if (changed && !silent) for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

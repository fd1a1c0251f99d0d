//! The words the generator builds text from: parties with their people's
//! names and their cities, institutions, topics, outlets, comments, and the
//! small helpers that make ids of names.
//!
//! The first twelve parties, and every list below, are those the generator
//! has always used: the seeded ledgers of BENCHMARKS.md depend on their
//! order. The regional shape adds the rest of `PARTIES`.

use std::collections::HashSet;

use chrono::NaiveDate;

pub struct PartyInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub wikidata: &'static str,
    pub first_names: &'static [&'static str],
    pub surname_endings: &'static [&'static str],
    pub cities: &'static [&'static str],
}

pub const PARTIES: &[PartyInfo] = &[
    PartyInfo {
        id: "AM",
        name: "Armenia",
        wikidata: "Q399",
        first_names: &[
            "Areg", "Anna", "Armen", "Boris", "Lilit", "Naira", "Narek", "Samvel", "Tigran", "Gayane",
        ],
        surname_endings: &["yan", "ian"],
        cities: &["Yerevan", "Gyumri", "Dilijan", "Vanadzor"],
    },
    PartyInfo {
        id: "AZ",
        name: "Azerbaijan",
        wikidata: "Q227",
        first_names: &[
            "Farhad", "Rusif", "Kamala", "Ramil", "Dilara", "Zaur", "Murad", "Leyla", "Aynur", "Elchin",
        ],
        surname_endings: &["ov", "ova", "li", "zade"],
        cities: &["Baku", "Ganja", "Şəki", "Shusha"],
    },
    PartyInfo {
        id: "GE",
        name: "Georgia",
        wikidata: "Q230",
        first_names: &["Nino", "Giorgi", "Tamar", "Levan", "Ana", "David", "Salome", "Irakli"],
        surname_endings: &["shvili", "dze", "ia", "ava"],
        cities: &["Tbilisi", "Batumi", "Kutaisi"],
    },
    PartyInfo {
        id: "TR",
        name: "Türkiye",
        wikidata: "Q43",
        first_names: &["Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Burak", "Selin", "Can"],
        surname_endings: &["oğlu", "er", "can", "ay"],
        cities: &["Ankara", "İstanbul", "İzmir", "Kars"],
    },
    PartyInfo {
        id: "RU",
        name: "Russia",
        wikidata: "Q159",
        first_names: &["Sergei", "Olga", "Dmitry", "Irina", "Pavel", "Alexei", "Maria"],
        surname_endings: &["ov", "ova", "in", "ina", "sky"],
        cities: &["Moscow", "Saint Petersburg", "Sochi"],
    },
    PartyInfo {
        id: "IR",
        name: "Iran",
        wikidata: "Q794",
        first_names: &["Reza", "Maryam", "Ali", "Sara", "Hossein", "Leila", "Mehdi", "Nasrin"],
        surname_endings: &["i", "zadeh", "nejad", "pour"],
        cities: &["Tehran", "Tabriz", "Isfahan"],
    },
    PartyInfo {
        id: "US",
        name: "United States",
        wikidata: "Q30",
        first_names: &["John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Rachel"],
        surname_endings: &["son", "er", "s", "man"],
        cities: &["Washington", "New York", "Boston"],
    },
    PartyInfo {
        id: "FR",
        name: "France",
        wikidata: "Q142",
        first_names: &[
            "Claire", "Jean", "Sophie", "Pierre", "Camille", "Luc", "Marie", "Thomas",
        ],
        surname_endings: &["eau", "ier", "and", "et"],
        cities: &["Paris", "Strasbourg", "Lyon"],
    },
    PartyInfo {
        id: "DE",
        name: "Germany",
        wikidata: "Q183",
        first_names: &["Anna", "Jonas", "Katrin", "Lukas", "Sabine", "Felix", "Julia", "Tobias"],
        surname_endings: &["mann", "er", "berg", "hoff"],
        cities: &["Berlin", "Munich", "Hamburg"],
    },
    PartyInfo {
        id: "CH",
        name: "Switzerland",
        wikidata: "Q39",
        first_names: &["Urs", "Regula", "Beat", "Corinne", "Reto", "Martina"],
        surname_endings: &["li", "egger", "er"],
        cities: &["Geneva", "Bern", "Zürich", "Lausanne"],
    },
    PartyInfo {
        id: "NL",
        name: "Netherlands",
        wikidata: "Q55",
        first_names: &["Sanne", "Joost", "Fleur", "Bram", "Eva", "Pieter"],
        surname_endings: &["sma", "stra", "man", "ink"],
        cities: &["The Hague", "Amsterdam", "Utrecht"],
    },
    PartyInfo {
        id: "KZ",
        name: "Kazakhstan",
        wikidata: "Q232",
        first_names: &["Aigerim", "Nurlan", "Dana", "Yerlan", "Madina", "Askar"],
        surname_endings: &["ov", "ova", "uly", "kyzy"],
        cities: &["Astana", "Almaty"],
    },
    // The regional shape's other parties: Europe, Central Asia and the
    // Middle East, so that delegations of several of them look plausible.
    PartyInfo {
        id: "UA",
        name: "Ukraine",
        wikidata: "Q212",
        first_names: &["Olena", "Andrii", "Iryna", "Taras", "Oksana", "Serhii"],
        surname_endings: &["enko", "chuk", "uk", "ska"],
        cities: &["Kyiv", "Lviv", "Odesa"],
    },
    PartyInfo {
        id: "MD",
        name: "Moldova",
        wikidata: "Q217",
        first_names: &["Ion", "Maria", "Vasile", "Elena", "Andrei", "Ana"],
        surname_endings: &["escu", "eanu", "an"],
        cities: &["Chișinău", "Bălți"],
    },
    PartyInfo {
        id: "BY",
        name: "Belarus",
        wikidata: "Q184",
        first_names: &["Alena", "Siarhei", "Volha", "Aliaksandr", "Hanna"],
        surname_endings: &["enka", "ovich", "ski"],
        cities: &["Minsk", "Brest", "Hrodna"],
    },
    PartyInfo {
        id: "PL",
        name: "Poland",
        wikidata: "Q36",
        first_names: &["Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł"],
        surname_endings: &["ski", "ska", "czyk", "wicz"],
        cities: &["Warsaw", "Kraków", "Gdańsk"],
    },
    PartyInfo {
        id: "RO",
        name: "Romania",
        wikidata: "Q218",
        first_names: &["Ioana", "Mihai", "Andreea", "Radu", "Cristina", "Bogdan"],
        surname_endings: &["escu", "eanu", "ache"],
        cities: &["Bucharest", "Cluj-Napoca", "Iași"],
    },
    PartyInfo {
        id: "BG",
        name: "Bulgaria",
        wikidata: "Q219",
        first_names: &["Ivan", "Maria", "Georgi", "Elena", "Dimitar", "Desislava"],
        surname_endings: &["ov", "ova", "ev", "eva"],
        cities: &["Sofia", "Plovdiv", "Varna"],
    },
    PartyInfo {
        id: "GR",
        name: "Greece",
        wikidata: "Q41",
        first_names: &["Eleni", "Giorgos", "Maria", "Nikos", "Katerina", "Dimitris"],
        surname_endings: &["opoulos", "idis", "akis", "ou"],
        cities: &["Athens", "Thessaloniki"],
    },
    PartyInfo {
        id: "CY",
        name: "Cyprus",
        wikidata: "Q229",
        first_names: &["Andreas", "Christina", "Kyriakos", "Eleni", "Mehmet", "Ayşe"],
        surname_endings: &["ou", "ides", "oğlu"],
        cities: &["Nicosia", "Limassol", "Larnaca"],
    },
    PartyInfo {
        id: "RS",
        name: "Serbia",
        wikidata: "Q403",
        first_names: &["Milica", "Nikola", "Jelena", "Marko", "Ana", "Stefan"],
        surname_endings: &["ović", "ić", "ević"],
        cities: &["Belgrade", "Novi Sad", "Niš"],
    },
    PartyInfo {
        id: "BA",
        name: "Bosnia and Herzegovina",
        wikidata: "Q225",
        first_names: &["Amina", "Emir", "Lejla", "Adnan", "Selma", "Haris"],
        surname_endings: &["ić", "ović", "begović"],
        cities: &["Sarajevo", "Mostar", "Tuzla"],
    },
    PartyInfo {
        id: "HU",
        name: "Hungary",
        wikidata: "Q28",
        first_names: &["Eszter", "Gábor", "Zsófia", "László", "Katalin", "Péter"],
        surname_endings: &["i", "ai", "os", "né"],
        cities: &["Budapest", "Debrecen", "Szeged"],
    },
    PartyInfo {
        id: "AT",
        name: "Austria",
        wikidata: "Q40",
        first_names: &["Lisa", "Florian", "Theresa", "Matthias", "Johanna", "Stefan"],
        surname_endings: &["huber", "bauer", "er", "egger"],
        cities: &["Vienna", "Graz", "Salzburg"],
    },
    PartyInfo {
        id: "IT",
        name: "Italy",
        wikidata: "Q38",
        first_names: &["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo"],
        surname_endings: &["ini", "etti", "one", "elli"],
        cities: &["Rome", "Milan", "Florence"],
    },
    PartyInfo {
        id: "ES",
        name: "Spain",
        wikidata: "Q29",
        first_names: &["Lucía", "Javier", "Carmen", "Pablo", "Elena", "Diego"],
        surname_endings: &["ez", "ado", "era"],
        cities: &["Madrid", "Barcelona", "Seville"],
    },
    PartyInfo {
        id: "GB",
        name: "United Kingdom",
        wikidata: "Q145",
        first_names: &["Oliver", "Emma", "Harry", "Charlotte", "George", "Amelia"],
        surname_endings: &["ton", "ley", "wood", "son"],
        cities: &["London", "Edinburgh", "Oxford"],
    },
    PartyInfo {
        id: "SE",
        name: "Sweden",
        wikidata: "Q34",
        first_names: &["Erik", "Anna", "Lars", "Karin", "Johan", "Elin"],
        surname_endings: &["sson", "berg", "ström", "qvist"],
        cities: &["Stockholm", "Uppsala", "Gothenburg"],
    },
    PartyInfo {
        id: "NO",
        name: "Norway",
        wikidata: "Q20",
        first_names: &["Ingrid", "Ole", "Kari", "Håkon", "Silje", "Anders"],
        surname_endings: &["sen", "dal", "rud", "vik"],
        cities: &["Oslo", "Bergen", "Tromsø"],
    },
    PartyInfo {
        id: "FI",
        name: "Finland",
        wikidata: "Q33",
        first_names: &["Aino", "Mikko", "Johanna", "Juha", "Sanna", "Antti"],
        surname_endings: &["nen", "la", "inen", "lä"],
        cities: &["Helsinki", "Tampere", "Turku"],
    },
    PartyInfo {
        id: "UZ",
        name: "Uzbekistan",
        wikidata: "Q265",
        first_names: &["Dilnoza", "Rustam", "Malika", "Jasur", "Nodira", "Bekzod"],
        surname_endings: &["ov", "ova", "xonov"],
        cities: &["Tashkent", "Samarkand", "Bukhara"],
    },
    PartyInfo {
        id: "TM",
        name: "Turkmenistan",
        wikidata: "Q874",
        first_names: &["Aýna", "Merdan", "Jemal", "Serdar", "Ogulgerek"],
        surname_endings: &["ow", "owa", "yýew"],
        cities: &["Ashgabat", "Türkmenabat"],
    },
    PartyInfo {
        id: "KG",
        name: "Kyrgyzstan",
        wikidata: "Q813",
        first_names: &["Aizada", "Bakyt", "Cholpon", "Ermek", "Gulnara"],
        surname_endings: &["ov", "ova", "uulu", "kyzy"],
        cities: &["Bishkek", "Osh"],
    },
    PartyInfo {
        id: "TJ",
        name: "Tajikistan",
        wikidata: "Q863",
        first_names: &["Farrukh", "Nigora", "Parviz", "Zarina", "Sino"],
        surname_endings: &["ov", "ova", "zoda"],
        cities: &["Dushanbe", "Khujand"],
    },
    PartyInfo {
        id: "IL",
        name: "Israel",
        wikidata: "Q801",
        first_names: &["Noa", "Yosef", "Tamar", "Avi", "Shira", "Eitan"],
        surname_endings: &["stein", "man", "i", "berg"],
        cities: &["Jerusalem", "Tel Aviv", "Haifa"],
    },
    PartyInfo {
        id: "EG",
        name: "Egypt",
        wikidata: "Q79",
        first_names: &["Mona", "Ahmed", "Nour", "Karim", "Yasmin", "Omar"],
        surname_endings: &["i", "awi", "ein"],
        cities: &["Cairo", "Alexandria"],
    },
    PartyInfo {
        id: "QA",
        name: "Qatar",
        wikidata: "Q846",
        first_names: &["Hamad", "Noor", "Khalid", "Maryam", "Jassim"],
        surname_endings: &["i", "ani", "ari"],
        cities: &["Doha"],
    },
    PartyInfo {
        id: "AE",
        name: "United Arab Emirates",
        wikidata: "Q878",
        first_names: &["Mansour", "Fatima", "Saeed", "Aisha", "Rashid"],
        surname_endings: &["i", "awi", "ouri"],
        cities: &["Abu Dhabi", "Dubai"],
    },
    PartyInfo {
        id: "SA",
        name: "Saudi Arabia",
        wikidata: "Q851",
        first_names: &["Abdullah", "Reem", "Faisal", "Lama", "Turki"],
        surname_endings: &["i", "ani", "airi"],
        cities: &["Riyadh", "Jeddah"],
    },
    PartyInfo {
        id: "IQ",
        name: "Iraq",
        wikidata: "Q796",
        first_names: &["Zainab", "Haider", "Rana", "Mustafa", "Hawre"],
        surname_endings: &["i", "awi", "ani"],
        cities: &["Baghdad", "Erbil", "Basra"],
    },
];

pub const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "sa", "ne", "lu", "ta", "vo", "di", "ra", "ze", "mi", "go", "ba", "ha", "ser", "kor", "nal",
    "bek", "tur", "dar", "van", "mel", "sul", "ar", "gri", "pet", "ros",
];

/// Format id, display name, and the word titles use for it.
pub const FORMATS: &[(&str, &str, &str)] = &[
    ("dialogue", "Structured bilateral dialogue", "Dialogue"),
    ("seminar", "Seminar", "Seminar"),
    ("forum", "International conference or forum", "Forum"),
    ("workshop", "Expert workshop", "Workshop"),
    ("roundtable", "Roundtable", "Roundtable"),
    ("visit", "Study visit", "Study visit"),
    ("webinar", "Online seminar", "Webinar"),
    ("consultation", "Closed-door consultation", "Consultation"),
];

pub const TOPICS: &[&str] = &[
    "regional connectivity",
    "border delimitation",
    "humanitarian demining",
    "missing persons",
    "water security",
    "trade and transit",
    "energy cooperation",
    "media and peace",
    "youth exchange",
    "confidence building",
    "cultural heritage",
    "climate adaptation",
    "refugee return",
    "economic recovery",
    "historical memory",
    "security guarantees",
];

pub const SERIES_WORDS: &[(&str, &str)] = &[
    ("peace", "Peace"),
    ("caucasus", "Caucasus"),
    ("black-sea", "Black Sea"),
    ("caspian", "Caspian"),
    ("bridge", "Bridge"),
    ("neighbours", "Neighbours"),
    ("horizons", "Horizons"),
    ("crossroads", "Crossroads"),
];

pub const SERIES_KINDS: &[(&str, &str)] = &[
    ("dialogue", "Dialogue"),
    ("initiative", "Initiative"),
    ("platform", "Platform"),
    ("process", "Process"),
    ("track", "Track"),
];

pub const ROLES: &[&str] = &[
    "Director",
    "Senior Fellow",
    "Researcher",
    "Deputy Minister",
    "Member of Parliament",
    "Journalist",
    "Programme Manager",
    "Professor",
    "Adviser to the President",
    "Analyst",
];

/// Word of an org's name, and the kind it implies.
pub const INSTITUTIONS: &[(&str, &str)] = &[
    ("Center for Strategic Studies", "think-tank"),
    ("Institute for Peace Research", "think-tank"),
    ("Policy Foundation", "think-tank"),
    ("State University", "university"),
    ("Peacebuilding Initiative", "ngo"),
    ("Civil Society Network", "ngo"),
    ("Herald", "media"),
    ("Ministry of Foreign Affairs", "government"),
    ("Parliamentary Committee on Foreign Relations", "government"),
    ("Heritage Society", "other"),
];

pub const INTERNATIONAL: &[&str] = &[
    "Council for Regional Dialogue",
    "Mediation Support Unit",
    "Conflict Resolution Fund",
    "Forum of Parliaments",
    "Commission on Missing Persons",
];

pub const NOTES: &[&str] = &[
    "Closed-door format; no statement was issued.",
    "Participants agreed to meet again within six months.",
    "Reported by both sides' media on the same day.",
    "The date of the second day is not confirmed.",
    "Funded by a third-party donor; the amount is not public.",
    "Some participants joined online.",
    "A joint statement was published afterwards.",
    "The organisers did not publish a list of participants.",
    "Delegates discussed the draft agreement article by article.",
    "Press coverage names one more participant, unconfirmed.",
];

pub const TAGS: &[&str] = &[
    "mutual-visit",
    "multilateral",
    "parliamentary",
    "youth",
    "media",
    "women-peace-security",
    "connectivity",
    "humanitarian",
    "academic",
    "direct-flight",
    "speakers",
    "closed-door",
    "joint-statement",
    "follow-up",
    "first-contact",
];

pub const OUTLETS: &[&str] = &[
    "https://news.az/news/",
    "https://armenpress.am/eng/news/",
    "https://civil.ge/archives/",
    "https://oc-media.org/",
    "https://eurasianet.org/",
    "https://jam-news.net/",
    "https://www.azatutyun.am/a/",
    "https://report.az/en/foreign-politics/",
    "https://caliber.az/en/post/",
    "https://www.trend.az/azerbaijan/",
];

pub const COMMENTS: &[&str] = &[
    "# Dates from the organiser's report; the press gives the same.",
    "# Reported late; the list of participants may be incomplete.",
    "# Two sources disagree on the venue; the organiser's is recorded.",
    "# TODO: find a second source.",
];

/// The engagements' dates run from the first day of `year`.
pub fn first_date(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("a date")
}

/// Late enough to leave room for a range of up to three days in 2025.
pub fn last_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 20).expect("a date")
}

/// Lower-case ASCII for an id: `Ayşe Kar-oğlu` becomes `ayse-kar-oglu`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            ' ' | '-' => '-',
            'ş' | 'Ş' => 's',
            'ə' | 'Ə' => 'e',
            'ü' | 'Ü' => 'u',
            'ö' | 'Ö' => 'o',
            'ç' | 'Ç' => 'c',
            'ğ' | 'Ğ' => 'g',
            'ı' | 'İ' => 'i',
            // Only in the regional shape's names.
            'á' | 'ä' | 'å' | 'ă' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' | 'ø' => 'o',
            'ý' => 'y',
            'ć' => 'c',
            'ł' => 'l',
            'ń' => 'n',
            'š' | 'ș' => 's',
            'ț' => 't',
            _ => continue,
        };
        if !(folded == '-' && out.ends_with('-')) {
            out.push(folded);
        }
    }
    out
}

/// `base`, or `base-2`, `base-3`… whichever is not taken yet.
pub fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| taken.insert(id.clone()))
        .expect("some suffix is free")
}

pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

"""Rules of clean_paragraphs, one at a time, and sentences that must survive them."""

from __future__ import annotations

import pytest

from newswire.clean.lines import (
    CREDIT_PATTERNS,
    Cleaned,
    clean_paragraphs,
    match_boilerplate,
    match_caption,
    match_paywall,
    normalise_whitespace,
    sign_off,
    trim_tail,
)
from newswire.clean.patterns import (
    BOILERPLATE_PATTERNS,
    CAPTION_PATTERNS,
    METER_PATTERNS,
    PATTERN_NEEDS,
    PAYWALL_PATTERNS,
    lower,
)

BODY = [
    "Dock unions and port employers resumed talks on Tuesday to end a three-day strike.",
    "The stoppage has left dozens of vessels waiting at anchor in the North Sea.",
    "Employers said they had tabled a revised proposal covering wages and shifts.",
]

PAYWALL_EXAMPLES = {
    "read_full_story": ["To Read The Full Story", "Continue reading the full article"],
    "already_subscriber": ["Are you already a subscriber?", "Already a subscriber? Log in"],
    "click_to_log_in": ["Click to log in!", "Click here to sign in."],
    "subscribe_to_continue": [
        "Subscribe to continue reading",
        "Subscribe now to read the full article",
    ],
    "subscribers_only": ["This article is for subscribers only", "Subscriber exclusive"],
    "have_account_sign_in": ["Already have an account? Sign in", "Already have an account?"],
    "log_in_or_subscribe": [
        "Log in or subscribe to read more",
        "Sign in or register to continue reading.",
    ],
    "register_to_continue": ["Register for free to continue", "Register now to keep reading"],
    "article_limit": [
        "You have reached your limit of free articles",
        "You've read 3 of 3 free articles this month.",
    ],
    "subscribe_now": ["Subscribe now", "Subscribe for $1 a week"],
    "get_access": ["Get unlimited access", "Unlock full digital access for $1"],
    "abo_de": [
        "Jetzt abonnieren",
        "Bereits Abonnent? Hier anmelden",
        "Jetzt weiterlesen mit SZ Plus",
    ],
    "abonnes_fr": [
        "Cet article est réservé aux abonnés.",
        "Déjà abonné ? Se connecter",
        "La suite est réservée aux abonnés.",
        "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
    ],
    "suscriptores_es": [
        "Este contenido es exclusivo para suscriptores",
        "¿Ya eres suscriptor? Inicia sesión",
        "Suscríbete para seguir leyendo",
    ],
}

BOILERPLATE_EXAMPLES = {
    "newsletter": ["Sign up for our newsletter", "Subscribe to our daily briefing newsletter"],
    "cookies": ["We use cookies to improve your experience.", "Accept all cookies"],
    "share": ["Share this article", "Share:", "Share on Facebook"],
    "read_more": [
        "Read more: Antwerp braces for cargo",
        "Related: Port strike",
        "READ MORE",
        "Most read in Football",
        "Recommended Videos",
    ],
    "copyright": [
        "© 2026 Demo Wire. All rights reserved.",
        "Copyright 2026 The Associated Press. All rights reserved.",
        "Copyright @ 2026 Demo Media Group - demowire. All Rights Reserved",
        "<Copyright ⓒ 데모일보. All rights reserved. 무단 전재 및 재배포 금지>",
        "Copyright: Demo Syndicate, 2026",
    ],
    "redistribution": [
        "This material may not be published, broadcast, rewritten or redistributed.",
    ],
    "timestamp": ["Published November 1, 2026", "Updated 3 Nov 2026 10:05 GMT", "2026-11-03"],
    "reporting_credits": ["Reporting by Jane Doe; Editing by Tom Hale"],
    "contributor_credits": [
        "With files from The Associated Press and Lena Brandt",
        "—Associated Press writer Jane Doe in Paris contributed to this report.",
        "With reporting by Associated Press writer Sam Reed",
        "- – additional reporting by Tom Hale",
        "Mit Agenturmaterial.",
        "Con información de EFE",
    ],
    "newsletter_pitch": [
        "Sign up for our emails",
        "Get the latest news from demowire.example in your inbox.",
        "For the latest stories from across the coast, sign up for our newsletters.",
    ],
    "error_report": ["Fehler gefunden? Jetzt melden.", "Spotted an error? Let us know."],
    "byline": [
        "By JOHN ROE and MARIA LOPEZ Associated Press",
        "By Anna de Vries, Reuters",
        "- Von: Lena BRANDT, Tom Weiss",
    ],
    "advertisement": [
        "Advertisement",
        "Story continues below advertisement",
        "- Advertisement 1Story continues below",
    ],
    "newsletter_intl": [
        "Jetzt zum Newsletter anmelden",
        "Inscrivez-vous à notre newsletter",
        "Suscríbete a nuestro boletín diario",
    ],
    "cookies_intl": [
        "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.",
        "Nous utilisons des cookies pour améliorer votre expérience.",
        "Este sitio web utiliza cookies propias y de terceros.",
    ],
    "consent_embed": [
        "Ein Klick für den Datenschutz",
        "Link zum YouTube-Inhalt",
        "Contenu externe",
    ],
    "social_app": [
        "Follow us on Twitter",
        "Folgen Sie uns auf Instagram",
        "Suivez-nous sur Facebook",
        "Síguenos en X",
        "Download our app",
        "Follow TechRadar on Google News and add us as a preferred source.",
        "Abonniere den Whatsapp-Kanal von 20 Minuten",
        "Folgst du schon Stadtblatt auf Whatsapp?",
        "- Follow us on Instagram",
    ],
    "support_prompt": [
        "Support independent journalism: donate today.",
        "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns mit einer Spende.",
        "Soutenez notre journalisme indépendant",
        "Unabhängiger Journalismus braucht deine Unterstützung.",
        "Independent journalism needs your support",
    ],
    "developing_story": [
        "This is a breaking new story - more to follow",
        "This story is developing and will be updated.",
        "Mehr in Kürze",
    ],
    "contact_prompt": [
        "Got a story? Get in touch with our news team by emailing us at news@example.com.",
        "For more stories like this, check our news page.",
    ],
    "read_more_intl": [
        "Lesen Sie auch: Die Lage in Gaza",
        "À lire aussi : Le merlu sauvé",
        "Lea también: Ferrari salva el match ball",
        "Les også: Tone Damli ofret musikkarrieren",
        "- Zum Artikel: Streik im Hafen: Das wird verhandelt",
        "Weiterführende Links",
    ],
    "copyright_intl": [
        "Alle Rechte vorbehalten.",
        "Le Monde, tous droits réservés.",
        "Todos los derechos reservados",
    ],
    "timestamp_intl": [
        "Stand: 22.04.2024, 06:00 Uhr",
        "Publié le 3 novembre 2026 à 10h05",
        "Actualizado: 02/12/2024 - 10:15",
    ],
    "media_player": [
        "02:57 Min.. Verfügbar bis 06.05.2024.",
        "Video 1:30 min",
        "12.03.2026 | 1:45 min",
    ],
    "consent_wall": [
        "Empfohlener redaktioneller Inhalt",
        "An dieser Stelle finden Sie einen externen Inhalt, der den Artikel ergänzt.",
        "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden.",
        "I agree to third-party content being displayed. Personal data may be shared.",
        "J'accepte que des contenus externes soient affichés sur cette page.",
        "Acepto que se muestre contenido externo",
        "Externer Inhalt nicht verfügbar",
        "Deine Privatsphäre-Einstellungen verhindern das Laden aller externen Inhalte.",
        "Zur Anzeige aktiviere bitte die Einstellungen in den Privatsphäre-Einstellungen.",
    ],
    "trial_offer": [
        "2 Wochen kostenlos testen",
        "Jetzt gratis testen",
        "Start your free trial today",
        "Essai gratuit de 30 jours",
        "Prueba gratis durante 14 días",
    ],
    "affiliate_disclosure": [
        "Links marked with an asterisk are affiliate links.",
        "Die mit Stern markierten Links sind Affiliate-Links.",
        "We may earn a commission when you buy through links on this page.",
        "In diesem Artikel sind Affiliate-Links enthalten.",
        "Products are picked by our editors. The Gazette may earn an affiliate commission.",
    ],
    "arrow_link": [">> Alle Termine der Saison im Überblick", "→ More on the budget"],
    "script_residue": ["- showPaywall:", "isSubscriber:", "- false"],
    "template_placeholder": ["$$ARTICLEAD$$", "{{ inline_ad }}", "%%AD_SLOT_2%%"],
    "comment_prompt": [
        "Leave a comment",
        "You must be logged in to post a comment.",
        "Kommentar abgeben",
        "Du musst dich EINLOGGEN um einen Kommentar abzugeben.",
        "Laisser un commentaire",
        "Deja un comentario",
    ],
    "reading_time": [
        "- 3 Minuten Lesezeit",
        "4 min read",
        "Lesezeit: 5 Min.",
        "Lesedauer: 4 Minuten",
    ],
    "service_pitch": [
        "Der Hafen-Newsletter informiert Sie freitags über die Woche. Hier geht's zur Anmeldung!",
        "Den Tag kompakt? Dann sind Sie beim Stadtblatt-Newsletter richtig – hier entlang.",
        "- Nachrichten aufs Handy? Hier geht es zur neuen Stadtblatt-App – für Android und iOS.",
        "Our site is the place for news. Please sign up for our daily newsletter, Harbour, here.",
        "News am Morgen: Abonniere den Whatsapp-Kanal von Stadtblatt und bleib informiert.",
    ],
    "media_teaser": [
        "Wie geht es mit dem Hafen weiter? Eine Reportage aus Rostock. 21.04.2026 | 3:18 min",
        "Die Ministerin über den Streik. 18.04.2026 | 0:21 min",
    ],
    "source_label": ["Quelle: AFP", "Image:", "Kilde: Havnenytt.no", "Quellen:", "Fuente: EFE"],
    "origin_note": [
        "Dies ist eine maschinelle Übersetzung eines Artikels unserer Kollegen. Er wurde geprüft.",
        "Lest den Originalartikel auf Englisch hier.",
        "Aus dem Englischen von Jan Doe",
        'Dieser Artikel ist zuerst bei "Hafenblatt" erschienen.',
        "First published in The Harbour Review.",
        "This article was originally published on Demo Wire.",
        "Translated from the Spanish by Ana Ruiz",
    ],
    "staff_credits": [
        "Redaktion: Jane Doe, John Roe",
        "Übersetzung: Jane Doe, Redaktion: John Roe, Schlussredaktion: Ana Ruiz",
        "Styling: JANE DOE",
        "Traduction : Jean Dupont",
    ],
    "rating_widget": [
        "Wie hat Ihnen dieser Artikel gefallen?",
        "Durchschnittliche Bewertung: 0,0",
        "Was this article helpful?",
        "Average rating: 4.5 out of 5",
        "Cet article vous a-t-il été utile ?",
    ],
    "link_copied": [
        "Link copied",
        "Link in die Zwischenablage kopiert",
        "기사 URL이 복사되었습니다.",
    ],
    "more_intro": [
        "Mehr zur Lage im Hafen lesen Sie in unserem Liveblog:",
        "Mehr zum Thema finden Sie auch im wöchentlichen Hafen-Check:",
        "More on the strike:",
    ],
    "contents_label": ["Auf dieser Seite:", "On this page", "Table of contents", "Sommaire"],
    "broadcast_note": ["Sendung: Radio Demo, 24.04.2026, 15:10 Uhr"],
    "timestamp_more": [
        "Uppdaterad 15.59 | Publicerad 14.14",
        "20 Nisan 2026•Güncelleme: 20 Nisan 2026",
        "Publisert 03.11.2026 kl. 10.05",
        "Freitag, 28.04.2026, 19:25",
        "2026年1月14日 01時28分 (1月14日 01時40分更新)",
    ],
    "contact_line": ["Email: jdoe@news.example", "• E-Mail: redaktion@stadtblatt.example"],
}

CAPTION_EXAMPLES = {
    "ap_photo": "Crowds gather at the barrier, Saturday, Nov. 1, 2026. (AP Photo/Sam Reed)",
    "reuters_photo": "Ships wait at anchor off the coast. REUTERS/Piet Jansen/File Photo",
    "photo_label": "Protesters gather in central Paris. Photo: Jane Doe/Demo Wire",
    "photo_by": "The minister arrives for talks. (Photo by Jane Doe/Getty Images)",
    "agency_credit": "Smoke rises over the city. Jane Doe/AFP via Getty Images",
    "photo_by_ja": "記者会見する港湾局長＝2日、横浜市で（山田太郎撮影）",
}

# Article sentences that mention prompt-like words and must never be removed.
SURVIVORS = [
    "Il vous reste 57 % des voix à convaincre avant le vote, a-t-il lancé aux militants.",
    "Heavy rain and a late tide contributed to the flooding, the report said.",
    "With files from the archive, the museum rebuilt the harbour's history.",
    "Readers who sign up for the council's alerts get warnings of closures by text.",
    "Fehler gefunden hat die Prüferin in drei von zehn Abrechnungen, sagte sie.",
    "港湾局は2日、新しい防波堤の撮影を報道陣に公開した（関係者によると）。",
    "The union said members who subscribe to the pension plan will log in to a new portal.",
    "Subscribers will pay more from January, the company said.",
    "Readers who want to read the full story of the strike can visit the port museum.",
    "Read more about the plan on the ministry's website, she said.",
    "Share prices fell 3% on Tuesday.",
    "Related stocks also fell in early trading.",
    "Copyright law was changed in 2020, the court said.",
    "We use cookies sparingly, the bakery owner joked.",
    "He said he had already registered to vote and would sign in at the polling station.",
    "Click-through rates for the ads fell, the company said, and fewer people signed in.",
    "The newsletter, which she founded in 2019, now has 40,000 subscribers.",
    "Photo agencies including AP and Reuters sent staff to the scene.",
    "The poll by Reuters/Ipsos showed support had fallen.",
    "November 3, 2026 was the wettest day on record, the weather service said.",
    "(c) the third clause applies to all members.",
    "Sign up was slow at first, organisers said.",
    "By Tuesday, the strike had ended.",
    "By the end of the day",
    "By Rail and Road",
    "Wir verwenden Cookies nicht, sagte der Sprecher des Ministeriums am Dienstag in Berlin.",
    "Lesen Sie auch die Stellungnahme der Gewerkschaft, forderte der Minister.",
    "Der Newsletter des Vereins erreicht inzwischen 40.000 Abonnenten.",
    "Stand der Verhandlungen ist unklar, sagte die Sprecherin.",
    "Les abonnés du réseau ont reçu un message jeudi, a indiqué l'opérateur.",
    "Déjà abonné depuis 20 ans, il a résilié son contrat après la hausse des prix.",
    "Suivez-nous, a lancé le maire aux manifestants devant la mairie.",
    "Los suscriptores de la plataforma pagarán más a partir de enero, dijo la empresa.",
    "Síguenos pidiendo explicaciones, dijo la portavoz del partido en el Congreso.",
    "More than 100 people were evacuated, officials said.",
    "Follow-up talks on Twitter's sale were held on Tuesday, the company said.",
    "Todos los derechos de los trabajadores serán respetados, aseguró el ministro.",
    "Support for independent journalism grew, the foundation's report found.",
    "More details of the plan are to follow next week, the minister said.",
    "This story of survival has inspired thousands, her publisher said.",
    "The council said it would consider external content being displayed on its screens.",
    "Patients can test the new app for two weeks free of charge, the insurer said.",
    "Der Hersteller ließ die Geräte zwei Wochen kostenlos testen, bevor er sie verkaufte.",
    "Affiliate links are a major source of income for review sites, the study found.",
    "The agency said it would earn a commission of 2% on every sale.",
    "We earn a commission on every flat we sell, the estate agent said.",
    "Most of the links in the survey are affiliate links, the researchers found.",
    "Kostenlos testen können Besucher das neue Museum bis Sonntag.",
    "Start your free trial of patience, the coach joked to reporters.",
    "Readers can leave a comment on the council's website until Friday, the mayor said.",
    "The survey took 4 minutes to read aloud, the researchers said.",
    "- Shares in the company fell 4% after the results.",
    "Contact with the crew was lost at 3 a.m., the coastguard said.",
    "Prices rose >> faster than wages, the union said in a statement on Monday.",
    "The function returned false values for three days, engineers said.",
    "Folgen Sie der Debatte, sagte die Abgeordnete den Zuschauern auf der Tribüne.",
    "Users can sign up for the newsletter of the port authority, the council said.",
    "The app was downloaded 2 million times, and users sign up for it in shops, she said.",
    "Das Video vom 21.04.2026 zeigt den Hafen, sagte der Sprecher am Montag.",
    "Source: the ministry's own figures show a rise of 4% since January.",
    "The novel, first published in 1851, was reprinted in 2026.",
    "Aus dem Englischen von Jane Doe übersetzt, erschien das Buch 2026 bei Demo.",
    "Redaktion und Verlag haben sich getrennt, sagte der Sprecher.",
    "Was this article of the treaty breached? The court will decide on Monday.",
    "Mehr über die Folgen des Streiks sagte die Ministerin am Dienstag.",
    "Contents of the container were seized by customs officers on Monday.",
    "Die Sendung lief am 24.04.2026 im Radio, sagte die Sprecherin.",
    "Freitag, 28.04.2026, war der wärmste Tag des Jahres, sagte der Wetterdienst.",
    "The link was copied by thousands of users within an hour, the company said.",
]


def test_every_pattern_has_examples() -> None:
    """Each named pattern is exercised by this module."""
    assert set(PAYWALL_EXAMPLES) == set(PAYWALL_PATTERNS)
    assert set(BOILERPLATE_EXAMPLES) == set(BOILERPLATE_PATTERNS)
    assert set(CAPTION_EXAMPLES) == set(CAPTION_PATTERNS)


def test_lines_a_pattern_matches_hold_the_words_it_needs() -> None:
    """PATTERN_NEEDS only skips lines its pattern cannot match, whatever their letter case."""
    patterns = {**PAYWALL_PATTERNS, **METER_PATTERNS, **BOILERPLATE_PATTERNS, **CAPTION_PATTERNS}
    examples = [
        *BODY,
        *SURVIVORS,
        *CAPTION_EXAMPLES.values(),
        *(line for lines in PAYWALL_EXAMPLES.values() for line in lines),
        *(line for lines in BOILERPLATE_EXAMPLES.values() for line in lines),
    ]
    # re.IGNORECASE also equates i with ı and İ, s with ſ, k with the Kelvin sign
    variants = [
        v
        for line in examples
        for v in (line, line.upper(), line.swapcase(), line.replace("i", "ı").replace("s", "ſ"))
    ] + [line.upper().replace("I", "İ").replace("K", "\u212a") for line in examples]
    assert set(PATTERN_NEEDS) <= set(patterns)
    for name, words in PATTERN_NEEDS.items():
        matched = [line for line in variants if patterns[name].search(line)]
        assert matched, name  # its examples (at least) match
        for line in matched:
            assert any(w in lower(line) for w in words), (name, line)


@pytest.mark.parametrize(
    ("name", "line"), [(n, line) for n, lines in PAYWALL_EXAMPLES.items() for line in lines]
)
def test_paywall_patterns(name: str, line: str) -> None:
    """Each paywall pattern matches its examples, strips them and sets paywalled."""
    assert match_paywall(line) == name
    cleaned = clean_paragraphs([*BODY, line])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.paywalled and cleaned.prompts == (name,)


@pytest.mark.parametrize(
    ("name", "line"), [(n, line) for n, lines in BOILERPLATE_EXAMPLES.items() for line in lines]
)
def test_boilerplate_patterns(name: str, line: str) -> None:
    """Each boilerplate pattern strips its examples anywhere without setting paywalled."""
    assert match_boilerplate(line) == name
    assert match_paywall(line) is None
    cleaned = clean_paragraphs([BODY[0], line, *BODY[1:]])
    assert cleaned.paragraphs == tuple(BODY)
    if name in CREDIT_PATTERNS:  # a credits line moves out of the body into credits
        assert not cleaned.paywalled and cleaned.prompts == () and cleaned.credits == line
    else:
        assert not cleaned.paywalled and cleaned.prompts == (name,)


@pytest.mark.parametrize(("name", "line"), list(CAPTION_EXAMPLES.items()))
def test_single_caption_with_credit_dropped(name: str, line: str) -> None:
    """A caption ending in a photo credit is dropped even when printed once."""
    assert match_caption(line) == name
    cleaned = clean_paragraphs([BODY[0], line, *BODY[1:]])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.captions == (line,)


@pytest.mark.parametrize("sentence", SURVIVORS)
def test_sentences_with_prompt_words_survive(sentence: str) -> None:
    """Real sentences that mention prompt words are kept."""
    cleaned = clean_paragraphs([*BODY, sentence])
    assert cleaned.paragraphs == (*BODY, sentence)
    assert cleaned.prompts == () and cleaned.captions == () and not cleaned.paywalled


def test_long_line_is_never_a_prompt() -> None:
    """A prompt pattern must cover the whole line; long lines are article text."""
    line = "Subscribe to continue reading " + "the council minutes, " * 10 + "she said."
    assert match_paywall(line) is None
    assert clean_paragraphs([line]).paragraphs == (line,)


def test_whitespace_normalised_and_empty_lines_dropped() -> None:
    """NBSP, thin and zero-width spaces, soft hyphens and runs of spaces are normalised."""
    raw = ["  Dock\u00a0unions  and\u2009port\u200b em\u00adployers\tmet.  ", "", "   ", "\u00a0"]
    assert clean_paragraphs(raw).paragraphs == ("Dock unions and port employers met.",)
    assert normalise_whitespace("a \u202f b\nc") == "a b c"


def test_repeated_paragraph_kept_once() -> None:
    """A paragraph repeated later (not adjacent) keeps only its first occurrence."""
    cleaned = clean_paragraphs([BODY[0], BODY[1], BODY[2], BODY[1].upper()])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.captions == ()


def test_doubled_caption_dropped_entirely() -> None:
    """A short paragraph printed twice in a row is a caption: both copies go."""
    caption = "Container cranes stand idle at the terminal in Rotterdam, November 2, 2026."
    cleaned = clean_paragraphs([BODY[0], caption, caption, *BODY[1:]])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.captions == (caption,)


def test_known_captions_dropped() -> None:
    """Captions found in the page markup are dropped even when the text has one copy."""
    caption = "Container cranes stand idle at the terminal."
    cleaned = clean_paragraphs([caption, *BODY], known_captions={caption.upper()})
    assert cleaned.paragraphs == tuple(BODY) and cleaned.captions == (caption,)


def test_title_repeated_as_first_paragraph_dropped() -> None:
    """The title as first paragraph goes; the same words later stay."""
    title = "Port talks resume"
    assert clean_paragraphs([" port  TALKS resume ", *BODY], title=title).paragraphs == tuple(BODY)
    assert clean_paragraphs([*BODY, title], title=title).paragraphs == (*BODY, title)


def test_dateline_only_paragraph_merged() -> None:
    """A dateline on its own line is merged into the next paragraph, separator normalised."""
    caption = "Ships wait at anchor. REUTERS/Piet Jansen"
    cleaned = clean_paragraphs(["ROTTERDAM\u00a0 (Reuters) -", caption, caption, *BODY])
    assert cleaned.paragraphs == (f"ROTTERDAM (Reuters) — {BODY[0]}", *BODY[1:])
    assert (cleaned.dateline, cleaned.agency) == ("ROTTERDAM", "Reuters")
    assert cleaned.captions == (caption,)


@pytest.mark.parametrize("separator", ["-", "--", "–", "—", ":"])
def test_inline_dateline_separator_normalised(separator: str) -> None:
    """Inline datelines get the same ' — ' separator whatever the site printed."""
    cleaned = clean_paragraphs([f"NEW YORK, Jan 15  (Reuters) {separator} Stocks fell.", *BODY])
    assert cleaned.paragraphs[0] == "NEW YORK, Jan 15 (Reuters) — Stocks fell."
    assert (cleaned.dateline, cleaned.agency) == ("NEW YORK", "Reuters")


def test_dateline_alone_stays_when_nothing_follows() -> None:
    """A lone dateline with nothing after it is kept as is (normalised)."""
    cleaned = clean_paragraphs(["LONDON  (AP) —"])
    assert cleaned.paragraphs == ("LONDON (AP)",)
    assert cleaned.agency == "AP"


def test_paywall_block_truncates_tail() -> None:
    """Everything after a paywall prompt in the tail goes, prompts named in order."""
    tail = ["To Read The Full Story", "Are you already a subscriber?", "Click to log in!"]
    cleaned = clean_paragraphs([*BODY, *tail, "Ferry timetables change next week"])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.prompts == ("read_full_story", "already_subscriber", "click_to_log_in")
    assert cleaned.paywalled


def test_paywall_prompt_in_page_head_only_stripped() -> None:
    """A prompt before the story (site chrome) is stripped without losing the story."""
    cleaned = clean_paragraphs(["Already have an account? Sign in", *BODY])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.paywalled and cleaned.prompts == ("have_account_sign_in",)


def test_prompt_only_input() -> None:
    """Only prompts: nothing survives, prompts are reported."""
    cleaned = clean_paragraphs(["This article is for subscribers only", "Subscribe now"])
    assert cleaned == Cleaned(
        paragraphs=(), prompts=("subscribers_only", "subscribe_now"), paywalled=True, truncated=True
    )


def test_cleaned_is_frozen() -> None:
    """Cleaned is an immutable value."""
    cleaned = clean_paragraphs(BODY)
    with pytest.raises(AttributeError):
        cleaned.paywalled = True  # type: ignore[misc]


def test_tail_labels_after_the_story_go() -> None:
    """Short unpunctuated lines closing the body (labels, sources, sign-off) leave it."""
    body, tail = trim_tail([*BODY, "Quelle: ntv.de", "Related topics", "- Harbour"])
    assert body == tuple(BODY) and tail == ("Quelle: ntv.de", "Related topics", "- Harbour")
    body, tail = trim_tail([*BODY, "More from the region:"])
    assert body == tuple(BODY) and tail == ("More from the region:",)
    assert sign_off(trim_tail([*BODY, "Tomás Ferreira"])[1]) == "Tomás Ferreira"


def test_short_closing_sentences_and_lone_labels_are_no_sign_off() -> None:
    """A short last sentence stays; a label or a tail of several lines names no writer."""
    for last in ("Nobody was hurt.", "„Wir machen weiter“", "The port reopens on Monday!"):
        assert trim_tail([*BODY, last]) == ((*BODY, last), ())
    assert trim_tail(["Short title"]) == (("Short title",), ())  # the body keeps one line
    assert sign_off(("Read more",)) is None
    assert sign_off(("mit dpa",)) is None
    assert sign_off(("Jane Doe", "Related")) is None
    assert sign_off(("Quelle: ntv.de",)) is None

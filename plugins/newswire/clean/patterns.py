"""Named line patterns: paywall prompts, meter notices, boilerplate and photo credits.

Each pattern matches a whole line (clean.py applies them with word limits); English, German,
French and Spanish at least. Article sentences that merely mention these words must not match.
"""

from __future__ import annotations

import re

# Trailing punctuation and decoration allowed around a prompt line.
_END = r"[\s.!?:…»›>→]*"


# A list bullet as trafilatura prints list items ("- Share this article").
_BULLET = r"(?:[-–•·*]\s+)?"


def _line(pattern: str) -> re.Pattern[str]:
    """Compile a pattern that must match a whole line (case-insensitive, anchored).

    The line may open with a list bullet or an arrow and close with punctuation.
    """
    return re.compile(rf"^[\s»›>→]*{_BULLET}(?:{pattern}){_END}$", re.IGNORECASE)


# A capitalised personal name of two to four words, with particles ("Anna de Vries").
_NAME = (
    r"[A-ZÀ-Þ][\w'’.-]*"
    r"(?:\s+(?:(?:de|van|von|der|da|di|del|la|le|al|bin)\s+)*[A-ZÀ-Þ][\w'’.-]*){1,3}"
)

# Labels of publication and update times in Nordic languages and Turkish (timestamp_more).
_STAMP_LABEL = (
    r"uppdaterad|publicerad|oppdatert|publisert|opdateret|publiceret|päivitetty|julkaistu|"
    r"güncelleme|güncellenme|yayınlanma|updated|published"
)

# A date or a time of day in a timestamp line: "28.04.2023", "20 Nisan 2026", "15.59", "kl. 14:14"
_STAMP = (
    r"(?:(?:kl\.?|klo|at|um)\s*)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?\s+\d{4}"
    r"|\d{1,2}[:.]\d\d)(?:,?\s+(?:(?:kl\.?|klo|at|um)\s*)?\d{1,2}[:.]\d\d)?"
)


# Paywall and subscription prompts: finding one sets paywalled and truncates the tail.
PAYWALL_PATTERNS: dict[str, re.Pattern[str]] = {
    # "To Read The Full Story", "Continue reading the full article"
    "read_full_story": _line(
        r"(?:to\s+)?(?:read|continue\s+reading|keep\s+reading|view|see)\s+the\s+"
        r"(?:full|whole|rest\s+of\s+the|complete)\s+(?:story|article|report)"
        r"(?:\s*,?\s*(?:subscribe|sign\s*in|log\s*in|register)(?:\s+(?:now|today|here))?)?"
    ),
    # "Are you already a subscriber?", "Already a subscriber? Log in"
    "already_subscriber": _line(
        r"(?:are\s+you\s+)?already\s+(?:a\s+)?(?:subscriber|member|registered)\??"
        r"(?:\s*(?:click\s+here\s+to\s+)?(?:log|sign)\s*(?:in|on)(?:\s+here)?)?"
    ),
    # "Click to log in!", "Click here to sign in"
    "click_to_log_in": _line(r"(?:click|tap)\s+(?:here\s+)?to\s+(?:log|sign)\s*(?:in|on)"),
    # "Subscribe to continue reading", "Subscribe now to read the full article"
    "subscribe_to_continue": _line(
        r"subscribe\s+(?:now\s+|today\s+)?to\s+(?:continue(?:\s+reading)?|keep\s+reading|"
        r"read\s+(?:more|on|this\s+(?:article|story)|the\s+(?:full|rest))|unlock)[^.!?]{0,60}"
    ),
    # "This article is for subscribers only", "This content is exclusive to subscribers"
    "subscribers_only": _line(
        r"(?:this\s+(?:article|story|content|page)\s+is\s+)?(?:only\s+)?"
        r"(?:for|available\s+(?:only\s+)?(?:to|for)|exclusive\s+(?:to|for)|reserved\s+for)\s+"
        r"(?:our\s+)?(?:paying\s+|premium\s+|digital\s+)?(?:subscribers|members)(?:\s+only)?"
        r"|(?:subscribers?|premium|members)[\s-]+(?:only|exclusive)(?:\s+(?:content|article))?"
    ),
    # "Already have an account? Sign in"
    "have_account_sign_in": _line(
        r"already\s+have\s+an\s+account\??(?:\s*[-–—|,]?\s*(?:log|sign)\s*(?:in|on)(?:\s+here)?)?"
    ),
    # "Log in or subscribe to read more", "Sign in or register to continue reading"
    "log_in_or_subscribe": _line(
        r"(?:please\s+)?(?:log|sign)\s*(?:in|on)\s+or\s+(?:subscribe|register|sign\s+up|"
        r"create\s+an\s+account)(?:\s+(?:now|today|for\s+free))?"
        r"(?:\s+to\s+(?:read|continue|keep\s+reading|access|view)[^.!?]{0,60})?"
    ),
    # "Register for free to continue", "Register now to keep reading"
    "register_to_continue": _line(
        r"register\s+(?:for\s+free|now|today|free)(?:\s+to\s+(?:continue|read|keep\s+reading|"
        r"access|unlock)[^.!?]{0,60})?"
    ),
    # "You have reached your limit of free articles", "You've read 3 of 3 free articles"
    "article_limit": _line(
        r"you(?:'ve|’ve|\s+have)\s+(?:reached|used\s+up|used|read)\s+(?:your|all\s+(?:of\s+)?your|"
        r"the|\d+\s+of\s+(?:your\s+)?\d+)\s+(?:(?:monthly|weekly)\s+)?(?:limit\s+of\s+|"
        r"maximum\s+(?:number\s+)?of\s+)?(?:free\s+)?(?:articles|stories)[^.!?]{0,60}"
    ),
    # "Subscribe now", "Subscribe for $1 a week"
    "subscribe_now": _line(
        r"subscribe(?:\s+(?:now|today|here))?(?:\s+(?:for|from)\s+(?:just\s+|only\s+)?"
        r"[$€£]?\s?\d[\d.,]*[^.!?]{0,40})?"
    ),
    # "Get unlimited access", "Unlock full digital access for $1"
    "get_access": _line(
        r"(?:get|unlock|gain)\s+(?:unlimited|full|digital|instant|premium)\s+"
        r"(?:digital\s+)?access[^.!?]{0,60}"
    ),
    # German: "Weiterlesen mit Abo", "Jetzt abonnieren", "Bereits Abonnent? Hier anmelden"
    "abo_de": _line(
        r"(?:weiterlesen\s+mit\s+[^.!?]{0,30}abo[^.!?]{0,20}|jetzt\s+(?:abonnieren|abo\s+abschließen)|"
        r"(?:sie\s+sind\s+)?bereits\s+abonnent(?:in)?\??(?:\s*(?:hier\s+)?(?:anmelden|einloggen))?|"
        r"dieser\s+artikel\s+ist\s+(?:nur\s+)?für\s+abonnenten(?:\s+verfügbar)?|"
        r"(?:jetzt\s+)?(?:weiterlesen|alle\s+artikel\s+lesen)\s+mit\s+[^.!?]{1,30}|"
        r"(?:um\s+)?(?:diesen|den\s+vollständigen)\s+artikel\s+(?:zu\s+)?(?:lesen|weiterlesen)"
        r"[^.!?]{0,40}(?:abo|abonnement|registrier|anmeld)[^.!?]{0,30})"
    ),
    # Spanish: "Este contenido es exclusivo para suscriptores", "¿Ya eres suscriptor? Inicia sesión"
    "suscriptores_es": _line(
        r"¿?\s*(?:(?:este|el)\s+(?:artículo|contenido|texto)\s+es\s+)?exclusivo\s+para\s+"
        r"(?:suscriptores|abonados|socios)|¿?\s*ya\s+eres\s+(?:suscriptor|abonado|socio)a?\s*\??"
        r"(?:\s*(?:inicia\s+sesión|identifícate|entra))?|suscríbete\s+(?:para|y)\s+"
        r"(?:seguir\s+leyendo|leer|continuar)[^.!?]{0,40}|hazte\s+suscriptor[^.!?]{0,40}"
    ),
    # French: "Cet article est réservé aux abonnés", "Déjà abonné ? Se connecter",
    # "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés."
    "abonnes_fr": _line(
        r"(?:cet\s+article\s+est\s+réservé\s+aux\s+abonnés|"
        r"déjà\s+abonné(?:e)?\s*\??(?:\s*(?:se\s+connecter|connectez-vous|identifiez-vous))?|"
        r"abonnez-vous\s+pour\s+(?:lire|continuer)[^.!?]{0,40}|il\s+vous\s+reste\s+\d+(?:[.,]\d+)?"
        r"\s*%[^!?]{0,40}?à\s+lire(?:\.\s*la\s+suite\s+est\s+réservée\s+aux\s+abonnés)?|"
        r"la\s+suite\s+est\s+réservée\s+aux\s+abonnés|"
        r"pour\s+lire\s+la\s+suite[^.!?]{0,20}(?:abonn|connect|identifi)[^.!?]{0,30})"
    ),
}

# Meter notices: the full text is there but counted ("You have 2 free articles left this
# month"); stripped and reported, the page is metered, nothing is truncated.
METER_PATTERNS: dict[str, re.Pattern[str]] = {
    # "You have 2 free articles left this month", "3 of 5 free articles remaining"
    "meter_notice": _line(
        r"(?:you\s+have\s+)?(?:\d+|one|two|three)\s+(?:of\s+\d+\s+)?free\s+(?:articles?|stories)"
        r"\s+(?:left|remaining)(?:\s+this\s+(?:month|week))?|"
        r"(?:sie\s+haben\s+)?(?:noch\s+)?\d+\s+(?:von\s+\d+\s+)?kostenlose[n]?\s+artikel"
        r"(?:\s+(?:übrig|frei))?(?:\s+(?:in\s+)?diese[nm]\s+monat)?|"
        r"il\s+vous\s+reste\s+\d+\s+articles?\s+gratuits?[^.!?]{0,30}|"
        r"te\s+quedan?\s+\d+\s+(?:artículos|noticias)\s+gratis[^.!?]{0,30}"
    ),
}

# Boilerplate lines that are stripped anywhere but do not mean the page is paywalled.
BOILERPLATE_PATTERNS: dict[str, re.Pattern[str]] = {
    # "Sign up for our newsletter", "Subscribe to our daily briefing newsletter"
    "newsletter": _line(
        r"(?:sign\s*up|subscribe|register|get)\s+(?:for|to)?\s*(?:our|the)\s+"
        r"(?:[\w'’-]+\s+){0,4}(?:newsletters?|briefing|digest)[^.!?]{0,80}"
        r"|newsletter(?:\s+sign[\s-]?up)?"
    ),
    # Newsletter pitches closing a story: "Sign up for our emails", "Get the latest news from
    # example.com in your inbox.", "For more stories like this, sign up for our newsletters."
    "newsletter_pitch": _line(
        r"sign\s+up\s+for\s+our\s+e-?mails?|get\s+the\s+latest\s+(?:news|headlines|stories)"
        r"[^!?]{0,80}\s+in\s+your\s+inbox|[^.!?]{0,160}\bsign(?:ing)?\s+up\s+(?:for|to)\s+our\s+"
        r"(?:[\w'’-]+\s+){0,5}newsletters?"
    ),
    # Error-report prompts: "Fehler gefunden? Jetzt melden.", "Spotted an error? Let us know."
    "error_report": _line(
        r"fehler\s+gefunden\s*\?\s*(?:jetzt\s+)?melden|(?:found|spotted|see)\s+an?\s+"
        r"(?:error|mistake|typo)\s*\?\s*(?:let\s+us\s+know|report\s+it|tell\s+us)|"
        r"(?:vous\s+avez\s+)?(?:trouvé|repéré)\s+une\s+erreur\s*\?\s*signalez-la"
    ),
    # German/French/Spanish newsletter boxes: "Jetzt zum Newsletter anmelden",
    # "Inscrivez-vous à notre newsletter", "Suscríbete a nuestro boletín"
    "newsletter_intl": _line(
        r"(?:jetzt\s+)?(?:(?:zum|für\s+den|unseren?)\s+)?newsletter\s+(?:abonnieren|anmelden|"
        r"bestellen)[^.!?]{0,60}|(?:melden\s+sie\s+sich|jetzt)\s+(?:für\s+)?(?:unseren?|den|zum)\s+"
        r"[\w-]*newsletter\s+an[^.!?]{0,60}|(?:inscrivez-vous|abonnez-vous)\s+à\s+(?:notre|nos|la)\s+"
        r"(?:[\w'’-]+\s+){0,3}(?:newsletters?|lettres?\s+d'information)[^.!?]{0,60}|"
        r"(?:suscríbete|apúntate|regístrate)\s+(?:a|en)\s+(?:nuestr[oa]s?|la|el)\s+"
        r"(?:[\w-]+\s+){0,3}(?:boletín|boletines|newsletters?)[^.!?]{0,60}"
    ),
    # "We use cookies to improve your experience..." (a cookie banner)
    "cookies": _line(
        r"(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b[^.]{0,80}\b(?:to|for|so|on|and)\b"
        r".{0,300}|accept\s+(?:all\s+)?cookies"
    ),
    # Cookie banners in German, French and Spanish ("Wir verwenden Cookies ...")
    "cookies_intl": _line(
        r"(?:wir\s+(?:verwenden|nutzen)|diese\s+(?:web)?seite\s+(?:verwendet|nutzt)|nous\s+utilisons|"
        r"ce\s+site\s+utilise|(?:utilizamos|usamos)|este\s+sitio(?:\s+web)?\s+utiliza)\s+"
        r"(?:des\s+)?cookies\b[^.]{0,80}\b(?:um|für|zur|damit|pour|afin|para|propias|y)\b.{0,300}|"
        r"(?:cookies\s+akzeptieren|alle\s+akzeptieren|"
        r"accepter\s+(?:les\s+cookies|tout)|aceptar\s+(?:las\s+)?cookies|aceptar\s+todo)"
    ),
    # Consent placeholders of embedded media: "Ein Klick für den Datenschutz", "Externer Inhalt",
    # "Link zum YouTube-Inhalt", "Contenu externe", "Contenido externo"
    "consent_embed": _line(
        r"ein\s+klick\s+für\s+den\s+datenschutz|(?:empfohlener\s+)?externer\s+inhalt|"
        r"link\s+zum\s+[\w-]+-inhalt|contenu\s+externe|contenido\s+externo|"
        r"(?:inhalte?|content)\s+(?:von|from)\s+[\w .-]{2,30}\s+(?:anzeigen|laden|zulassen|"
        r"allow|load|show)|(?:this|dieser)\s+(?:content|inhalt)\s+(?:is\s+)?(?:not\s+available|"
        r"ist\s+nicht\s+verfügbar)[^.!?]{0,60}"
    ),
    # Consent walls of embedded content: "Empfohlener redaktioneller Inhalt", "An dieser Stelle
    # finden Sie einen ... externen Inhalt ...", "Ich bin damit einverstanden, dass mir externe
    # Inhalte angezeigt werden ...", "I agree to external content being displayed ...",
    # "J'accepte que des contenus externes soient affichés", "Acepto que se muestre contenido
    # externo"
    "consent_wall": _line(
        r"empfohlener\s+(?:redaktioneller\s+)?inhalt|"
        r"an\s+dieser\s+stelle\s+finden\s+sie\s+(?:einen|einige)\s+[^.!?]{0,80}externe[nr]?\s+"
        r"inhalte?\b.{0,300}|"
        r"ich\s+bin\s+damit\s+einverstanden,?\s+dass\s+mir\s+(?:der\s+|die\s+)?externen?\s+"
        r"inhalte?\s+angezeigt\s+(?:wird|werden).{0,300}|"
        r"i\s+(?:agree|consent)\s+to\s+(?:external|third[-\s]party|embedded)\s+content\s+being\s+"
        r"(?:displayed|shown|loaded).{0,300}|"
        r"j['’]accepte\s+que\s+(?:des|les)\s+contenus\s+externes\s+soient\s+affichés.{0,300}|"
        r"acepto\s+que\s+se\s+muestre(?:n)?\s+(?:el\s+)?contenidos?\s+externos?.{0,300}|"
        r"(?:externer\s+)?inhalt\s+nicht\s+verfügbar|"
        r"(?:deine|ihre|your)\s+(?:privatsphäre-?einstellungen|privacy\s+settings)\s+"
        r"(?:verhindern|prevent|block)\s.{0,300}|"
        r"zur\s+anzeige\s+(?:aktiviere|aktivieren\s+sie)\s+bitte\s.{0,200}"
    ),
    # Free-trial offers: "2 Wochen kostenlos testen", "Start your free trial", "Essai gratuit
    # de 30 jours", "Prueba gratis durante 14 días"
    "trial_offer": _line(
        r"(?:jetzt\s+)?(?:(?:\d+|zwei|drei|vier|einen|ein)\s+(?:wochen?|monate?|tage)\s+)?"
        r"(?:kostenlos|gratis|unverbindlich)\s+(?:testen|probelesen)(?:\s*[-–—:|]\s*[^.!?]{0,30})?|"
        r"(?:start|begin)\s+(?:your|a)\s+free\s+trial(?:\s+(?:today|now|here))?|"
        r"try\s+(?:it\s+)?(?:for\s+)?free\s+for\s+\d+\s+(?:days|weeks|months)|"
        r"(?:profitez\s+d['’]un\s+)?essai\s+gratuit(?:\s+de\s+\d+\s+(?:jours|semaines|mois))?|"
        r"prueba\s+gratis(?:\s+durante\s+\d+\s+(?:días|semanas|meses))?"
    ),
    # Affiliate-link disclosures: "Links marked with * are affiliate links", "Dieser Artikel
    # enthält Affiliate-Links", "We may earn a commission on purchases made through links"
    "affiliate_disclosure": _line(
        r"[^.!?]{0,80}\b(?:marked|labell?ed|markierten|gekennzeichneten)\b[^.!?]{0,60}\b"
        r"(?:are|sind)\s+(?:sogenannte\s+)?affiliate[-\s]links\b.{0,300}|"
        r"(?:this|dieser|in\s+diesem)\s+(?:article|post|artikel|beitrag)\s+(?:contains|enthält|sind)"
        r"\s+affiliate[-\s]links\b.{0,300}|"
        r"(?:we|wir)\s+(?:may\s+)?(?:earn|receive|erhalten|bekommen)\s+(?:a\s+|eine\s+)?"
        r"(?:small\s+|kleine\s+)?(?:affiliate\s+)?(?:commission|provision)\b[^.!?]{0,80}\b"
        r"(?:links?|purchases?|buy|kauf\w*|einkauf\w*)\b.{0,200}|"
        r".{0,200}\bmay\s+earn\s+(?:an?\s+)?(?:small\s+)?affiliate\s+commission\b.{0,200}"
    ),
    # Comment-form prompts: "Leave a comment", "You must be logged in to post a comment",
    # "Kommentar abgeben", "Du musst dich einloggen, um einen Kommentar abzugeben",
    # "Laisser un commentaire", "Deja un comentario"
    "comment_prompt": _line(
        r"(?:leave|post|add|write)\s+a\s+(?:comment|reply)|"
        r"you\s+must\s+be\s+logged\s+in\s+to\s+(?:post|leave)\s+a\s+comment|"
        r"(?:einen\s+)?kommentar\s+(?:abgeben|schreiben|verfassen)|"
        r"(?:du\s+musst\s+dich|sie\s+müssen\s+sich)\s+(?:einloggen|anmelden),?\s+um\s+"
        r"(?:einen\s+)?kommentar(?:e)?\s+(?:abzugeben|zu\s+schreiben|zu\s+verfassen)|"
        r"laisser\s+un\s+commentaire|(?:deja|escribe)\s+(?:un|tu)\s+comentario"
    ),
    # Reading-time labels: "3 Minuten Lesezeit", "4 min read", "Lesezeit: 5 Min."
    "reading_time": _line(
        r"\d+\s*(?:min(?:ute)?s?\.?|minuten)\s+(?:read|reading\s+time|lesezeit|lesedauer|de\s+lecture|"
        r"de\s+lectura)|(?:lesezeit|lesedauer|reading\s+time|temps\s+de\s+lecture|tiempo\s+de\s+lectura)"
        r"\s*:?\s*\d+\s*(?:min(?:ute)?s?|minuten)\.?"
    ),
    # A contact line that is only an address: "Email: jdoe@example.com"
    "contact_line": _line(r"(?:e-?mail|mail|kontakt|contact)\s*:?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Link teasers marked with a double arrow: ">> Alle Termine im Überblick", "→ More news"
    "arrow_link": re.compile(r"^\s*(?:>>|→|⇒|►|▶)\s*\S.{0,200}$"),
    # Script state leaked into the text: "showPaywall:", "isSubscriber:", "false"
    "script_residue": re.compile(
        r"^[-•\s]*(?:[a-z]{2,}[A-Z][A-Za-z]*\s*:|true|false|null|undefined)\s*$"
    ),
    # Unrendered template placeholders (ad slots of embedded article HTML): "$$ARTICLEAD$$",
    # "{{ad_slot}}", "%%INLINE_AD%%"
    "template_placeholder": re.compile(
        r"^\s*(?:\$\$|\{\{|%%|\[\[)\s*[\w.:-]+\s*(?:\$\$|\}\}|%%|\]\])\s*$"
    ),
    # Social and app prompts: "Follow us on Twitter", "Download our app", "Folgen Sie uns auf
    # Instagram", "Suivez-nous sur Facebook", "Síguenos en X", "Descarga nuestra app"
    "social_app": _line(
        r"(?:follow|like)\s+(?:us|[\w.]+(?:\s+[\w.]+){0,3})\s+on\s+(?:twitter|x|facebook|"
        r"instagram|linkedin|tiktok|youtube|threads|bluesky|whatsapp|google\s+news)\b[^!?]{0,160}|"
        r"(?:abonniere|folge|abonnieren\s+sie|folgen\s+sie)\s+(?:jetzt\s+)?(?:den|unserem|unseren|dem)\s+"
        r"[\w-]*(?:whatsapp|telegram)[\w-]*[^.!?]{0,80}|"
        r"(?:download|get)\s+(?:our|the)\s+(?:[\w-]+\s+)?app[^.!?]{0,60}|"
        r"folgen\s+sie\s+uns\s+(?:auf|bei)\s+[^.!?]{2,60}|(?:laden\s+sie|jetzt)\s+(?:unsere?|die)\s+"
        r"[\w-]*\s?app\s+(?:herunter|laden|herunterladen)[^.!?]{0,40}|suivez-nous\s+sur\s+[^.!?]{2,60}|"
        r"téléchargez\s+(?:notre|l['’])\s*application[^.!?]{0,40}|síguenos\s+en\s+[^.!?]{1,60}|"
        r"descarga\s+(?:nuestra|la)\s+app[^.!?]{0,40}|"
        r"(?:folgst\s+du|folgen\s+sie)\s+(?:uns\s+)?(?:schon\s+)?(?:[\w-]+\s+){0,3}auf\s+"
        r"(?:whatsapp|instagram|facebook|tiktok|telegram|youtube|x|threads|bluesky)\??"
    ),
    # Donation and support appeals: "Support independent journalism ...", "Hat Ihnen dieser
    # Artikel gefallen? Dann unterstützen Sie uns ...", "Soutenez notre journalisme"
    "support_prompt": _line(
        r"(?:please\s+)?support\s+(?:our|independent|quality)\s+journalism[^!?]{0,200}|"
        r"hat\s+ihnen\s+(?:dieser|der)\s+(?:artikel|beitrag)\s+gefallen\?[^!?]{0,240}|"
        r"unterstützen\s+sie\s+(?:uns|unabhängigen\s+journalismus)[^!?]{0,200}|"
        r"(?:unabhängiger|guter|kritischer|independent|quality)\s+journalism(?:us)?\s+"
        r"(?:braucht|needs)\s+(?:ihre|deine|eure|your)\s+(?:unterstützung|support)|"
        r"soutenez\s+(?:notre|le)\s+journalisme[^!?]{0,200}|"
        r"apoya\s+(?:nuestro|el)\s+periodismo[^!?]{0,200}"
    ),
    # Breaking-news placeholders: "This is a breaking news story - more to follow"
    "developing_story": _line(
        r"this\s+is\s+a\s+(?:breaking(?:\s+news?)?|developing)\s+(?:news\s+)?story[^!?]{0,60}|"
        r"(?:more|further\s+details)\s+to\s+follow|this\s+story\s+(?:is\s+developing|will\s+be\s+updated)"
        r"[^!?]{0,40}|(?:mehr\s+in\s+kürze|wird\s+aktualisiert)"
    ),
    # Tip-off and "more stories" prompts: "Got a story? Get in touch ...",
    # "For more stories like this, check our news page."
    "contact_prompt": _line(
        r"(?:got|have)\s+a\s+(?:story|tip|news\s+tip)\??\s*(?:get\s+in\s+touch|contact|email|"
        r"send)[^!?]{0,200}|for\s+more\s+(?:stories|news|articles)\s+like\s+this,?\s+"
        r"(?:check|visit|see|head\s+to)\s+[^.!?]{2,60}"
    ),
    # "Share this article", "Share on Facebook", "Share:"
    "share": _line(
        r"share(?:\s+(?:this|the)\s+(?:article|story|page|post))?"
        r"(?:\s+(?:on|via)\s+(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit))?"
        r"(?:\s*[:|]\s*(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit|copy\s+link"
        r"|[\s,|/])*)?"
    ),
    # "Read more: <headline>", "Related: <headline>", "See also: ...", "READ MORE"
    "read_more": _line(
        r"(?:read\s+more|related(?:\s+(?:stories|articles|coverage|content))?|see\s+also|"
        r"also\s+read|more\s+on\s+this(?:\s+story)?|recommended|more|lire\s+aussi|mehr\s+zum\s+thema|"
        r"most\s+(?:read|popular|viewed)(?:\s+in\s+[\w&' -]{2,30})?|"
        r"(?:recommended|related|more|top|latest)\s+videos?)"
        r"(?:\s*[:|»›>–—-]\s*.{0,300})?"
    ),
    # "Read more" lines in other languages: "Lesen Sie auch: ...", "À lire aussi : ...",
    # "Lea también: ...", "Les også: ...", "Leggi anche: ..." (a separator must follow)
    "read_more_intl": _line(
        r"(?:lesen\s+sie\s+(?:auch|mehr)|auch\s+interessant|das\s+könnte\s+sie\s+(?:auch\s+)?"
        r"interessieren|weitere\s+artikel|mehr\s+(?:dazu|zum\s+thema)|à\s+lire\s+(?:aussi|également)|"
        r"lire\s+(?:aussi|également|la\s+suite)|voir\s+aussi|sur\s+le\s+même\s+sujet|"
        r"lea\s+también|leer\s+más|ver\s+también|(?:también\s+)?te\s+puede\s+interesar|"
        r"noticias\s+relacionadas|más\s+información|zum\s+artikel|weiterführende\s+links|"
        r"leggi\s+anche|leia\s+também|lees\s+ook|"
        r"les\s+også|läs\s+också|læs\s+også|czytaj\s+(?:też|także|więcej))"
        r"(?:\s*[:|»›>–—-]\s*.{0,300})?"
    ),
    # "© 2026 Demo Wire. All rights reserved.", "Copyright 2026 The Associated Press."
    "copyright": _line(
        r"<?\s*(?:[©ⓒ].{0,200}|(?:copyright|\(c\))\s*[©ⓒ@]?\s*\d{4}\b.{0,200}|"
        r"copyright\s*[©ⓒ@:].{0,200}|all\s+rights\s+reserved)"
    ),
    # Copyright footers in German, French and Spanish: "Alle Rechte vorbehalten."
    "copyright_intl": _line(
        r"(?:[^.!?]{0,80}[.,]\s*)?(?:alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|"
        r"todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati)"
    ),
    # A line that is only a timestamp in German, French or Spanish: "Stand: 22.04.2024, 06:00 Uhr",
    # "Publié le 3 novembre 2026 à 10h05", "Actualizado: 02/12/2024 - 10:15"
    "timestamp_intl": _line(
        r"(?:stand|aktualisiert(?:\s+am)?|veröffentlicht(?:\s+am)?|publié\s+le|mis\s+à\s+jour\s+le|"
        r"actualizado(?:\s+el)?|publicado(?:\s+el)?)\s*:?\s*"
        r"(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,10}\.?"
        r"(?:\s+(?:de\s+)?\d{4})?)(?:\s*(?:,|à|a\s+las|um|-|\|)?\s*\d{1,2}[:.h]\d\d\s*(?:uhr|h)?)?"
    ),
    # Video/audio player residue: "02:57 Min.. Verfügbar bis 06.05.2024."
    "media_player": _line(
        r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}\s*[|·-]\s*)?"
        r"(?:video|audio)?\s*\d{1,2}:\d\d(?::\d\d)?\s*min\.{0,2}(?:\s*(?:verfügbar|available)"
        r"\s+(?:bis|until)\s+[\d./-]{6,10})?"
    ),
    # AP's redistribution footer: "This material may not be published, broadcast, ..."
    "redistribution": _line(
        r"this\s+material\s+may\s+not\s+be\s+published,\s+broadcast,?\s+rewritten,?\s+"
        r"or\s+redistributed(?:\s+without\s+permission)?"
    ),
    # Contributor credits closing a story: "With files from The Associated Press", "AP writer
    # Jane Doe in Paris contributed to this report.", "Additional reporting by John Roe",
    # "Mit Agenturmaterial", "Con información de EFE"
    "contributor_credits": _line(
        r"(?:[-–—]\s*)*(?:with\s+(?:files|reporting|reports|additional\s+reporting)\s+(?:from|by)"
        r"\s+[^.!?;,]{2,120}|additional\s+reporting\s+(?:by|from)\s+[^.!?;,]{2,120}|"
        r"[^.!?;]{2,120}\s+contributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)|"
        r"mit\s+(?:agenturmaterial|material\s+(?:von|der)\s+[^.!?;]{2,60})|"
        r"con\s+información\s+de\s+[^.!?;]{2,80})"
    ),
    # Reuters sign-off: "Reporting by Jane Doe; Editing by John Roe" (needs two credits)
    "reporting_credits": _line(
        r"\(?(?:additional\s+)?(?:reporting|writing)\s+by\s+[^.;]{2,120}"
        r"(?:;\s*(?:additional\s+reporting|writing|editing)\s+by\s+[^.;]{2,120})+\)?"
    ),
    # A line that is only a timestamp: "Published November 1, 2026", "Updated 3 Nov 2026 10:05 GMT"
    "timestamp": _line(
        r"(?:(?:first\s+)?published|updated|last\s+updated|posted|modified)?\s*(?:on|:)?\s*"
        r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
        r"(?:[a-zé]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\.?\s+[a-zé]{3,9}\.?,?\s+\d{4}"
        r"|\d{4}-\d\d-\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
        r"(?:,?\s*(?:at\s+)?\d{1,2}[:.h]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*\(?[a-z]{2,5}\)?)?)?"
        r"(?:\s*[|·•,–—-]?\s*(?:updated|modified|last\s+updated)\s*(?:on|:)?\s*[^!?]{0,50})?"
    ),
    # A byline left in the text: "By JOHN ROE and MARIA LOPEZ Associated Press" (names capitalised)
    "byline": re.compile(
        rf"^{_BULLET}(?i:by|par|von)\s*:?\s+{_NAME}(?:\s*(?:,|&|\band\b|\bet\b|\bund\b)\s*{_NAME})*"
        r"(?:\s*[,|–—-]?\s*(?i:(?:the\s+)?associated\s+press|reuters|afp|ap)"
        r"(?:\s+(?i:staff\s+)?(?i:writer|reporter|correspondent)s?)?)?[\s.]*$"
    ),
    # A newsletter, app or channel pitch with a call to action, after any lead-in: "Der
    # Newsletter informiert Sie ... Hier geht's zur Anmeldung!", "... sign up for our daily
    # newsletter, Posted, here.", "Eine Newsübersicht am Morgen: Abonniere den Whatsapp-Kanal"
    "service_pitch": _line(
        r"(?=.{0,400}\b(?:[\w-]*newsletter|[\w-]*app|whatsapp|telegram|[\w-]*kanal|channel|"
        r"e-?paper)\b).{0,400}(?:hier\s+geht(?:['’]s|\s+es)\s+zu[mr]?\b|hier\s+entlang\b|"
        r"hier\s+(?:anmelden|abonnieren)\b|\babonniere\s+(?:jetzt\s+)?(?:den|unseren)\b|"
        r"\bsign\s+up\s+(?:for|to)\s+our\b|\bsubscribe\s+to\s+our\b|\babonnez-vous\s+à\b|"
        r"\bsuscríbete\s+a\b).{0,300}"
    ),
    # A video or audio teaser ending in its date and duration: "Warum ... ? 21.04.2024 | 3:18 min"
    "media_teaser": _line(
        r".{2,600}\s\d{1,2}\.\d{1,2}\.\d{2,4}\s*\|\s*\d{1,2}:\d\d(?::\d\d)?\s*min\.?"
    ),
    # A source or picture label with nothing or a short credit after it: "Quelle: AFP",
    # "Image:", "Kilde: Helsenorge.no", "Quellen:", "Fuente: EFE"
    "source_label": _line(
        r"(?:quellen?|source|sources|fuente|fuentes|kilde|källa|image|photo|foto|bild|picture)"
        r"\s*:(?:\s*[\w.&/'’-]+(?:\s+[\w.&/'’-]+){0,2})?"
    ),
    # Translation and origin notes: "Dies ist eine maschinelle Übersetzung eines Artikels ...",
    # "Lest den Originalartikel auf Englisch hier.", "Aus dem Englischen von Jan Doe",
    # "Dieser Artikel ist zuerst bei Capital erschienen.", "First published in The Conversation."
    "origin_note": _line(
        r"(?:dies\s+ist\s+eine\s+(?:maschinelle\s+)?übersetzung|"
        r"dieser\s+(?:artikel|beitrag|text)\s+ist\s+eine\s+übersetzung|"
        r"this\s+(?:article|story)\s+(?:is\s+a\s+(?:machine\s+)?translation|was\s+"
        r"(?:machine[-\s])?translated)|cet\s+article\s+est\s+une\s+traduction|"
        r"este\s+artículo\s+es\s+una\s+traducción)\b.{0,300}|"
        r"(?:lest|lesen\s+sie|read|lisez|lea)\s+(?:den|the|l['’]|el)\s*"
        r"(?:originalartikel|original\s+(?:article|story|version)|article\s+original|"
        r"artículo\s+original)[^.!?]{0,60}|"
        r"(?:aus\s+dem\s+[\w-]+en(?:\s+übersetzt)?\s+von|translated\s+(?:from\s+(?:the\s+)?"
        r"[\w-]+\s+)?by|traduit\s+de\s+l['’][\w-]+\s+par|traducido\s+del\s+[\w-]+\s+por)\s+"
        rf"{_NAME}(?:\s+(?:und|and|et|y)\s+{_NAME})?|"
        r"(?:dieser\s+(?:artikel|beitrag|text)\s+(?:ist|erschien)\s+zuerst\s+(?:bei|in|auf|im)\s+"
        r"[^!?]{2,80}?(?:\s+erschienen)?|this\s+(?:article|story)\s+(?:was\s+)?(?:first|"
        r"originally)\s+(?:published|appeared)\s+[^!?]{2,100}|(?:first|originally)\s+"
        r"(?:published|appeared)\s+(?:in|on|by|at)\s+[^.!?,]{2,60}|"
        r"cet\s+article\s+a\s+(?:été\s+)?(?:initialement|d['’]abord)\s+(?:publié|paru)\s+"
        r"[^!?]{2,100}|este\s+artículo\s+(?:fue\s+)?publicado\s+originalmente\s+[^!?]{2,100}|"
        r"erstveröffentlichung\s*:\s*[^!?]{2,40})"
    ),
    # Staff credits as role labels: "Redaktion: Jane Doe, John Roe", "Übersetzung: Jane Doe,
    # Schlussredaktion: John Roe", "Styling: JANE DOE", "Traduction : Jean Dupont"
    "staff_credits": _line(
        r"(?:[\w-]+\s+)?(?:redaktion|schlussredaktion|übersetzung|audioversion|mitarbeit|recherche|"
        r"bildredaktion|grafik|infografik|styling|haare|hair|make-up(?:\s+assistant)?|"
        r"casting(?:\s+director)?|(?:global\s+)?creative\s+director|visual\s+director|"
        r"editing|translation|rédaction|traduction|edición|traducción)\s*:\s*[^:;.!?]{2,80}"
        r"(?:[,;]\s*(?:[\w-]+\s+)?(?:redaktion|schlussredaktion|übersetzung|audioversion|"
        r"mitarbeit|recherche|bildredaktion|grafik|editing|translation|rédaction|traduction|"
        r"edición|traducción)\s*:\s*[^:;.!?]{2,80})*"
    ),
    # Rating widgets: "Wie hat Ihnen dieser Artikel gefallen?", "Durchschnittliche Bewertung:
    # 0,0", "Was this article helpful?", "Average rating: 4.5",
    # "Cet article vous a-t-il été utile ?"
    "rating_widget": _line(
        r"wie\s+hat\s+ihnen\s+(?:dieser|der)\s+(?:artikel|beitrag)\s+gefallen\s*\??|"
        r"war\s+(?:dieser|der)\s+(?:artikel|beitrag)\s+hilfreich\s*\??|"
        r"(?:durchschnittliche\s+bewertung|average\s+rating|note\s+moyenne|valoración\s+media)"
        r"\s*:?\s*\d(?:[.,]\d+)?(?:\s*(?:/|von|out\s+of|sur|de)\s*\d+)?|"
        r"(?:was|is)\s+this\s+(?:article|story|page)\s+(?:helpful|useful)\s*\??|"
        r"how\s+(?:would\s+you\s+rate|did\s+you\s+like)\s+this\s+(?:article|story)\s*\??|"
        r"rate\s+this\s+(?:article|story)|cet\s+article\s+vous\s+a-t-il\s+été\s+utile\s*\??|"
        r"¿?\s*te\s+ha\s+(?:resultado|parecido)\s+útil\s+(?:este|el)\s+artículo\s*\??"
    ),
    # Share-button notices: "Link copied", "Link kopiert", "Lien copié",
    # "기사 URL이 복사되었습니다." ("the article's URL was copied")
    "link_copied": _line(
        r"(?:(?:the\s+)?(?:link|url)\s+(?:has\s+been\s+|was\s+)?(?:copied|kopiert)"
        r"(?:\s+to\s+(?:the\s+)?clipboard|\s+in\s+die\s+zwischenablage)?|"
        r"(?:link|url)\s+in\s+die\s+zwischenablage\s+kopiert|"
        r"copied\s+to\s+(?:the\s+)?clipboard|lien\s+copié|enlace\s+copiado|"
        r"(?:기사\s*)?url이\s*복사되었습니다|リンクを?コピーしました|链接已复制)"
    ),
    # A line introducing links to more on the topic: "Mehr zur Lage in Nahost lesen Sie in
    # unserem Liveblog:", "Mehr zum Thema finden Sie im Zins-Check:", "More on the budget:"
    "more_intro": _line(r"(?:mehr|more)\s+(?:zu[mr]?|über|dazu|on|about)\b[^.!?]{0,120}:"),
    # Table-of-contents headers: "Auf dieser Seite:", "On this page", "Inhaltsverzeichnis"
    "contents_label": _line(
        r"(?:auf\s+dieser\s+seite|in\s+diesem\s+artikel|inhaltsverzeichnis|on\s+this\s+page|"
        r"in\s+this\s+article|table\s+of\s+contents|contents|sur\s+cette\s+page|"
        r"dans\s+cet\s+article|sommaire|en\s+esta\s+página|en\s+este\s+artículo|índice)\s*:?"
    ),
    # Broadcast notes of radio and TV pages: "Sendung: Antenne Brandenburg, 24.04.2024, 15:10 Uhr"
    "broadcast_note": _line(
        r"sendung\s*:\s*[^.!?:]{2,80},\s*\d{1,2}\.\d{1,2}\.\d{2,4}(?:,\s*\d{1,2}[:.]\d\d\s*(?:uhr)?)?"
    ),
    # Timestamps with labels in Nordic languages and Turkish, weekday dates and Japanese dates:
    # "Uppdaterad 15.59 | Publicerad 14.14", "20 Nisan 2026•Güncelleme: 20 Nisan 2026",
    # "Freitag, 28.04.2023, 19:25", "2025年1月14日 01時28分 (1月14日 01時40分更新)"
    "timestamp_more": _line(
        rf"(?:{_STAMP_LABEL})\s*:?\s*{_STAMP}(?:\s*[|•·,–—-]\s*(?:{_STAMP_LABEL})\s*:?\s*{_STAMP})*|"
        rf"{_STAMP}(?:\s*[|•·,–—-]\s*(?:{_STAMP_LABEL})\s*:?\s*{_STAMP})+|"
        r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|"
        r"jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
        r",?\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:,?\s+\d{1,2}[:.h]\d\d(?:\s*uhr)?)?|"
        r"\d{4}年\d{1,2}月\d{1,2}日\s*(?:\d{1,2}時\d{1,2}分)?\s*(?:[（(](?:\d{1,2}月\d{1,2}日\s*)?"
        r"\d{1,2}時\d{1,2}分\s*(?:更新|公開|配信)[）)])?\s*(?:更新|公開|配信)?"
    ),
    # "Advertisement", "Story continues below advertisement"
    "advertisement": _line(
        r"(?:story\s+continues\s+(?:below|after)\s+(?:this\s+)?)?(?:advertisement|advert|"
        r"sponsored|anzeige|werbung|publicité|publicidad)|advertisement\s*\d*\s*story\s+continues\s+"
        r"(?:below|after)|passer\s+la\s+publicité|skip\s+(?:this\s+)?ad(?:vert(?:isement)?)?|"
        r"werbung\s+überspringen|saltar\s+(?:la\s+)?publicidad"
    ),
}

# Photo captions and credits, recognised by the credit that ends them.
CAPTION_PATTERNS: dict[str, re.Pattern[str]] = {
    # "(AP Photo/Andrew Harnik)", "(AP Photo/Jane Doe, File)", "(AP Photo)"
    "ap_photo": re.compile(r"\(\s*AP\s+Photo(?:\s*/\s*[^()]{1,80})?\s*\)\s*$"),
    # "REUTERS/Kevin Lamarque", "REUTERS/Jane Doe/File Photo", "(REUTERS/Jane Doe)"
    "reuters_photo": re.compile(r"\bREUTERS\s*/\s*[^\W\d_][^()/]{1,60}(?:/[^()/]{1,30})*\)?\s*$"),
    # "Photo: Jane Doe/Demo Wire", "Photograph: Jane Doe/AFP", "Credit: Getty Images"
    "photo_label": re.compile(
        r"\b(?:Photo|Photograph|Picture|Image|Foto|Bild|Credit|Photo\s+credit)s?\s*:\s*"
        r"[^.:!?]{2,80}?\)?\s*$",
        re.IGNORECASE,
    ),
    # "(Photo by Jane Doe/Getty Images)", "(Photo courtesy of the museum)"
    "photo_by": re.compile(
        r"\((?:Photo|Photograph|Picture|Image)s?\s+(?:by|courtesy\s+of|from)\s+[^()]{2,80}\)\s*$",
        re.IGNORECASE,
    ),
    # "Jane Doe/AFP via Getty Images", "Jane Doe/Getty Images", "EPA/Jane Doe"
    "agency_credit": re.compile(
        r"(?:\b[^\W\d_][\w.'’ -]{1,40}/(?:AFP|EPA|Getty\s+Images|Bloomberg|Shutterstock|AAP|"
        r"ANP|dpa|picture\s+alliance)(?:\s+via\s+Getty\s+Images)?"
        r"|\b(?:AFP|EPA-EFE|EPA|dpa)\s*/\s*[^\W\d_][^()/]{1,60}"
        r"|\bvia\s+Getty\s+Images)\)?\s*$"
    ),
    # Japanese press photo credit closing a caption: "…霞ケ関で（潟沼義樹撮影）" ("photo by")
    "photo_by_ja": re.compile(r"[（(][^（）()]{1,20}撮影[）)]\s*$"),
}


# What every line a slow pattern matches holds (one of the lower-case words), read off the
# pattern: a line without any skips the pattern. Most lines are article sentences, and these
# patterns backtrack over them (service_pitch alone cost 25 µs a line, a substring test 0.1).
PATTERN_NEEDS: dict[str, tuple[str, ...]] = {
    # its look-ahead wants a newsletter, app, channel or e-paper word
    "service_pitch": ("newsletter", "app", "telegram", "kanal", "channel", "paper"),
    "agency_credit": ("/", "getty"),  # "Name/AFP", "EPA/Name", "via Getty Images"
    "photo_label": (":",),  # "Photo: ...", "Credit: ..."
    "affiliate_disclosure": ("affiliate", "commission", "provision"),
    "newsletter_pitch": ("sign", "inbox"),  # "sign up for our...", "...in your inbox"
    "media_teaser": ("|",),  # "21.04.2024 | 3:18 min"
    "reuters_photo": ("reuters",),
    # "with files/reporting/reports from", "additional reporting", "contributed to this
    # report", "mit Agenturmaterial / Material von", "con información de"
    "contributor_credits": ("files", "report", "contributed", "material", "información"),
    "copyright_intl": ("rechte", "droits", "derechos", "diritti"),
    "photo_by_ja": ("撮影",),
    "staff_credits": (":",),  # "Redaktion: ...", "Editing: ..."
}

# Characters re.IGNORECASE equates with an ASCII letter but str.lower() leaves apart.
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s"})


def lower(line: str) -> str:
    """line lower-cased so that a PATTERN_NEEDS word is in it whenever re.IGNORECASE finds it."""
    return line.lower() if line.isascii() else line.translate(_FOLD).lower()

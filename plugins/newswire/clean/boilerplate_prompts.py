"""Boilerplate lines of the page around a story: pitches, banners, prompts, read-more links."""

from __future__ import annotations

import re

from newswire.clean.fragments import whole_line

# Newsletter, app and social pitches, cookie and consent banners, comment, share and read-more
# prompts. patterns.BOILERPLATE_PATTERNS tries them first, in this order.
PROMPT_PATTERNS: dict[str, re.Pattern[str]] = {
    # "Sign up for our newsletter", "Subscribe to our daily briefing newsletter"
    "newsletter": whole_line(
        r"(?:sign\s*up|subscribe|register|get)\s+(?:for|to)?\s*(?:our|the)\s+"
        r"(?:[\w'’-]+\s+){0,4}(?:newsletters?|briefing|digest)[^.!?]{0,80}"
        r"|newsletter(?:\s+sign[\s-]?up)?"
    ),
    # Newsletter pitches closing a story: "Sign up for our emails", "Get the latest news from
    # example.com in your inbox.", "For more stories like this, sign up for our newsletters."
    "newsletter_pitch": whole_line(
        r"sign\s+up\s+for\s+our\s+e-?mails?|get\s+the\s+latest\s+(?:news|headlines|stories)"
        r"[^!?]{0,80}\s+in\s+your\s+inbox|[^.!?]{0,160}\bsign(?:ing)?\s+up\s+(?:for|to)\s+our\s+"
        r"(?:[\w'’-]+\s+){0,5}newsletters?"
    ),
    # Error-report prompts: "Fehler gefunden? Jetzt melden.", "Spotted an error? Let us know."
    "error_report": whole_line(
        r"fehler\s+gefunden\s*\?\s*(?:jetzt\s+)?melden|(?:found|spotted|see)\s+an?\s+"
        r"(?:error|mistake|typo)\s*\?\s*(?:let\s+us\s+know|report\s+it|tell\s+us)|"
        r"(?:vous\s+avez\s+)?(?:trouvé|repéré)\s+une\s+erreur\s*\?\s*signalez-la"
    ),
    # German/French/Spanish newsletter boxes: "Jetzt zum Newsletter anmelden",
    # "Inscrivez-vous à notre newsletter", "Suscríbete a nuestro boletín"
    "newsletter_intl": whole_line(
        r"(?:jetzt\s+)?(?:(?:zum|für\s+den|unseren?)\s+)?newsletter\s+(?:abonnieren|anmelden|"
        r"bestellen)[^.!?]{0,60}|(?:melden\s+sie\s+sich|jetzt)\s+(?:für\s+)?(?:unseren?|den|zum)\s+"
        r"[\w-]*newsletter\s+an[^.!?]{0,60}|(?:inscrivez-vous|abonnez-vous)\s+à\s+(?:notre|nos|la)\s+"
        r"(?:[\w'’-]+\s+){0,3}(?:newsletters?|lettres?\s+d'information)[^.!?]{0,60}|"
        r"(?:suscríbete|apúntate|regístrate)\s+(?:a|en)\s+(?:nuestr[oa]s?|la|el)\s+"
        r"(?:[\w-]+\s+){0,3}(?:boletín|boletines|newsletters?)[^.!?]{0,60}"
    ),
    # "We use cookies to improve your experience..." (a cookie banner)
    "cookies": whole_line(
        r"(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b[^.]{0,80}\b(?:to|for|so|on|and)\b"
        r".{0,300}|accept\s+(?:all\s+)?cookies"
    ),
    # Cookie banners in German, French and Spanish ("Wir verwenden Cookies ...")
    "cookies_intl": whole_line(
        r"(?:wir\s+(?:verwenden|nutzen)|diese\s+(?:web)?seite\s+(?:verwendet|nutzt)|nous\s+utilisons|"
        r"ce\s+site\s+utilise|(?:utilizamos|usamos)|este\s+sitio(?:\s+web)?\s+utiliza)\s+"
        r"(?:des\s+)?cookies\b[^.]{0,80}\b(?:um|für|zur|damit|pour|afin|para|propias|y)\b.{0,300}|"
        r"(?:cookies\s+akzeptieren|alle\s+akzeptieren|"
        r"accepter\s+(?:les\s+cookies|tout)|aceptar\s+(?:las\s+)?cookies|aceptar\s+todo)"
    ),
    # Consent placeholders of embedded media: "Ein Klick für den Datenschutz", "Externer Inhalt",
    # "Link zum YouTube-Inhalt", "Contenu externe", "Contenido externo"
    "consent_embed": whole_line(
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
    "consent_wall": whole_line(
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
    "trial_offer": whole_line(
        r"(?:jetzt\s+)?(?:(?:\d+|zwei|drei|vier|einen|ein)\s+(?:wochen?|monate?|tage)\s+)?"
        r"(?:kostenlos|gratis|unverbindlich)\s+(?:testen|probelesen)(?:\s*[-–—:|]\s*[^.!?]{0,30})?|"
        r"(?:start|begin)\s+(?:your|a)\s+free\s+trial(?:\s+(?:today|now|here))?|"
        r"try\s+(?:it\s+)?(?:for\s+)?free\s+for\s+\d+\s+(?:days|weeks|months)|"
        r"(?:profitez\s+d['’]un\s+)?essai\s+gratuit(?:\s+de\s+\d+\s+(?:jours|semaines|mois))?|"
        r"prueba\s+gratis(?:\s+durante\s+\d+\s+(?:días|semanas|meses))?"
    ),
    # Affiliate-link disclosures: "Links marked with * are affiliate links", "Dieser Artikel
    # enthält Affiliate-Links", "We may earn a commission on purchases made through links"
    "affiliate_disclosure": whole_line(
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
    "comment_prompt": whole_line(
        r"(?:leave|post|add|write)\s+a\s+(?:comment|reply)|"
        r"you\s+must\s+be\s+logged\s+in\s+to\s+(?:post|leave)\s+a\s+comment|"
        r"(?:einen\s+)?kommentar\s+(?:abgeben|schreiben|verfassen)|"
        r"(?:du\s+musst\s+dich|sie\s+müssen\s+sich)\s+(?:einloggen|anmelden),?\s+um\s+"
        r"(?:einen\s+)?kommentar(?:e)?\s+(?:abzugeben|zu\s+schreiben|zu\s+verfassen)|"
        r"laisser\s+un\s+commentaire|(?:deja|escribe)\s+(?:un|tu)\s+comentario"
    ),
    # Reading-time labels: "3 Minuten Lesezeit", "4 min read", "Lesezeit: 5 Min."
    "reading_time": whole_line(
        r"\d+\s*(?:min(?:ute)?s?\.?|minuten)\s+(?:read|reading\s+time|lesezeit|lesedauer|de\s+lecture|"
        r"de\s+lectura)|(?:lesezeit|lesedauer|reading\s+time|temps\s+de\s+lecture|tiempo\s+de\s+lectura)"
        r"\s*:?\s*\d+\s*(?:min(?:ute)?s?|minuten)\.?"
    ),
    # A contact line that is only an address: "Email: jdoe@example.com"
    "contact_line": whole_line(
        r"(?:e-?mail|mail|kontakt|contact)\s*:?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    ),
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
    "social_app": whole_line(
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
    "support_prompt": whole_line(
        r"(?:please\s+)?support\s+(?:our|independent|quality)\s+journalism[^!?]{0,200}|"
        r"hat\s+ihnen\s+(?:dieser|der)\s+(?:artikel|beitrag)\s+gefallen\?[^!?]{0,240}|"
        r"unterstützen\s+sie\s+(?:uns|unabhängigen\s+journalismus)[^!?]{0,200}|"
        r"(?:unabhängiger|guter|kritischer|independent|quality)\s+journalism(?:us)?\s+"
        r"(?:braucht|needs)\s+(?:ihre|deine|eure|your)\s+(?:unterstützung|support)|"
        r"soutenez\s+(?:notre|le)\s+journalisme[^!?]{0,200}|"
        r"apoya\s+(?:nuestro|el)\s+periodismo[^!?]{0,200}"
    ),
    # Breaking-news placeholders: "This is a breaking news story - more to follow"
    "developing_story": whole_line(
        r"this\s+is\s+a\s+(?:breaking(?:\s+news?)?|developing)\s+(?:news\s+)?story[^!?]{0,60}|"
        r"(?:more|further\s+details)\s+to\s+follow|this\s+story\s+(?:is\s+developing|will\s+be\s+updated)"
        r"[^!?]{0,40}|(?:mehr\s+in\s+kürze|wird\s+aktualisiert)"
    ),
    # Tip-off and "more stories" prompts: "Got a story? Get in touch ...",
    # "For more stories like this, check our news page."
    "contact_prompt": whole_line(
        r"(?:got|have)\s+a\s+(?:story|tip|news\s+tip)\??\s*(?:get\s+in\s+touch|contact|email|"
        r"send)[^!?]{0,200}|for\s+more\s+(?:stories|news|articles)\s+like\s+this,?\s+"
        r"(?:check|visit|see|head\s+to)\s+[^.!?]{2,60}"
    ),
    # "Share this article", "Share on Facebook", "Share:"
    "share": whole_line(
        r"share(?:\s+(?:this|the)\s+(?:article|story|page|post))?"
        r"(?:\s+(?:on|via)\s+(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit))?"
        r"(?:\s*[:|]\s*(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|reddit|copy\s+link"
        r"|[\s,|/])*)?"
    ),
    # "Read more: <headline>", "Related: <headline>", "See also: ...", "READ MORE"
    "read_more": whole_line(
        r"(?:read\s+more|related(?:\s+(?:stories|articles|coverage|content))?|see\s+also|"
        r"also\s+read|more\s+on\s+this(?:\s+story)?|recommended|more|lire\s+aussi|mehr\s+zum\s+thema|"
        r"most\s+(?:read|popular|viewed)(?:\s+in\s+[\w&' -]{2,30})?|"
        r"(?:recommended|related|more|top|latest)\s+videos?)"
        r"(?:\s*[:|»›>–—-]\s*.{0,300})?"
    ),
    # "Read more" lines in other languages: "Lesen Sie auch: ...", "À lire aussi : ...",
    # "Lea también: ...", "Les også: ...", "Leggi anche: ..." (a separator must follow)
    "read_more_intl": whole_line(
        r"(?:lesen\s+sie\s+(?:auch|mehr)|auch\s+interessant|das\s+könnte\s+sie\s+(?:auch\s+)?"
        r"interessieren|weitere\s+artikel|mehr\s+(?:dazu|zum\s+thema)|à\s+lire\s+(?:aussi|également)|"
        r"lire\s+(?:aussi|également|la\s+suite)|voir\s+aussi|sur\s+le\s+même\s+sujet|"
        r"lea\s+también|leer\s+más|ver\s+también|(?:también\s+)?te\s+puede\s+interesar|"
        r"noticias\s+relacionadas|más\s+información|zum\s+artikel|weiterführende\s+links|"
        r"leggi\s+anche|leia\s+também|lees\s+ook|"
        r"les\s+også|läs\s+också|læs\s+også|czytaj\s+(?:też|także|więcej))"
        r"(?:\s*[:|»›>–—-]\s*.{0,300})?"
    ),
}

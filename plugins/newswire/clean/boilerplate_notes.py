"""Boilerplate lines about a story: credits, copyright, timestamps, bylines, labels and widgets."""

from __future__ import annotations

import re

from newswire.clean.fragments import BULLET, NAME, STAMP, STAMP_LABEL, whole_line

# Copyright footers, credits, timestamps, bylines, source and staff labels, rating and share
# widgets, ad markers. patterns.BOILERPLATE_PATTERNS tries them after PROMPT_PATTERNS, in
# this order.
NOTE_PATTERNS: dict[str, re.Pattern[str]] = {
    # "© 2026 Demo Wire. All rights reserved.", "Copyright 2026 The Associated Press."
    "copyright": whole_line(
        r"<?\s*(?:[©ⓒ].{0,200}|(?:copyright|\(c\))\s*[©ⓒ@]?\s*\d{4}\b.{0,200}|"
        r"copyright\s*[©ⓒ@:].{0,200}|all\s+rights\s+reserved)"
    ),
    # Copyright footers in German, French and Spanish: "Alle Rechte vorbehalten."
    "copyright_intl": whole_line(
        r"(?:[^.!?]{0,80}[.,]\s*)?(?:alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|"
        r"todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati)"
    ),
    # A line that is only a timestamp in German, French or Spanish: "Stand: 22.04.2024, 06:00 Uhr",
    # "Publié le 3 novembre 2026 à 10h05", "Actualizado: 02/12/2024 - 10:15"
    "timestamp_intl": whole_line(
        r"(?:stand|aktualisiert(?:\s+am)?|veröffentlicht(?:\s+am)?|publié\s+le|mis\s+à\s+jour\s+le|"
        r"actualizado(?:\s+el)?|publicado(?:\s+el)?)\s*:?\s*"
        r"(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,10}\.?"
        r"(?:\s+(?:de\s+)?\d{4})?)(?:\s*(?:,|à|a\s+las|um|-|\|)?\s*\d{1,2}[:.h]\d\d\s*(?:uhr|h)?)?"
    ),
    # Video/audio player residue: "02:57 Min.. Verfügbar bis 06.05.2024."
    "media_player": whole_line(
        r"(?:\d{1,2}\.\d{1,2}\.\d{2,4}\s*[|·-]\s*)?"
        r"(?:video|audio)?\s*\d{1,2}:\d\d(?::\d\d)?\s*min\.{0,2}(?:\s*(?:verfügbar|available)"
        r"\s+(?:bis|until)\s+[\d./-]{6,10})?"
    ),
    # AP's redistribution footer: "This material may not be published, broadcast, ..."
    "redistribution": whole_line(
        r"this\s+material\s+may\s+not\s+be\s+published,\s+broadcast,?\s+rewritten,?\s+"
        r"or\s+redistributed(?:\s+without\s+permission)?"
    ),
    # Contributor credits closing a story: "With files from The Associated Press", "AP writer
    # Jane Doe in Paris contributed to this report.", "Additional reporting by John Roe",
    # "Mit Agenturmaterial", "Con información de EFE"
    "contributor_credits": whole_line(
        r"(?:[-–—]\s*)*(?:with\s+(?:files|reporting|reports|additional\s+reporting)\s+(?:from|by)"
        r"\s+[^.!?;,]{2,120}|additional\s+reporting\s+(?:by|from)\s+[^.!?;,]{2,120}|"
        r"[^.!?;]{2,120}\s+contributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)|"
        r"mit\s+(?:agenturmaterial|material\s+(?:von|der)\s+[^.!?;]{2,60})|"
        r"con\s+información\s+de\s+[^.!?;]{2,80})"
    ),
    # Reuters sign-off: "Reporting by Jane Doe; Editing by John Roe" (needs two credits)
    "reporting_credits": whole_line(
        r"\(?(?:additional\s+)?(?:reporting|writing)\s+by\s+[^.;]{2,120}"
        r"(?:;\s*(?:additional\s+reporting|writing|editing)\s+by\s+[^.;]{2,120})+\)?"
    ),
    # A line that is only a timestamp: "Published November 1, 2026", "Updated 3 Nov 2026 10:05 GMT"
    "timestamp": whole_line(
        r"(?:(?:first\s+)?published|updated|last\s+updated|posted|modified)?\s*(?:on|:)?\s*"
        r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
        r"(?:[a-zé]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\.?\s+[a-zé]{3,9}\.?,?\s+\d{4}"
        r"|\d{4}-\d\d-\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
        r"(?:,?\s*(?:at\s+)?\d{1,2}[:.h]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*\(?[a-z]{2,5}\)?)?)?"
        r"(?:\s*[|·•,–—-]?\s*(?:updated|modified|last\s+updated)\s*(?:on|:)?\s*[^!?]{0,50})?"
    ),
    # A byline left in the text: "By JOHN ROE and MARIA LOPEZ Associated Press" (names capitalised)
    "byline": re.compile(
        rf"^{BULLET}(?i:by|par|von)\s*:?\s+{NAME}(?:\s*(?:,|&|\band\b|\bet\b|\bund\b)\s*{NAME})*"
        r"(?:\s*[,|–—-]?\s*(?i:(?:the\s+)?associated\s+press|reuters|afp|ap)"
        r"(?:\s+(?i:staff\s+)?(?i:writer|reporter|correspondent)s?)?)?[\s.]*$"
    ),
    # A newsletter, app or channel pitch with a call to action, after any lead-in: "Der
    # Newsletter informiert Sie ... Hier geht's zur Anmeldung!", "... sign up for our daily
    # newsletter, Posted, here.", "Eine Newsübersicht am Morgen: Abonniere den Whatsapp-Kanal"
    "service_pitch": whole_line(
        r"(?=.{0,400}\b(?:[\w-]*newsletter|[\w-]*app|whatsapp|telegram|[\w-]*kanal|channel|"
        r"e-?paper)\b).{0,400}(?:hier\s+geht(?:['’]s|\s+es)\s+zu[mr]?\b|hier\s+entlang\b|"
        r"hier\s+(?:anmelden|abonnieren)\b|\babonniere\s+(?:jetzt\s+)?(?:den|unseren)\b|"
        r"\bsign\s+up\s+(?:for|to)\s+our\b|\bsubscribe\s+to\s+our\b|\babonnez-vous\s+à\b|"
        r"\bsuscríbete\s+a\b).{0,300}"
    ),
    # A video or audio teaser ending in its date and duration: "Warum ... ? 21.04.2024 | 3:18 min"
    "media_teaser": whole_line(
        r".{2,600}\s\d{1,2}\.\d{1,2}\.\d{2,4}\s*\|\s*\d{1,2}:\d\d(?::\d\d)?\s*min\.?"
    ),
    # A source or picture label with nothing or a short credit after it: "Quelle: AFP",
    # "Image:", "Kilde: Helsenorge.no", "Quellen:", "Fuente: EFE"
    "source_label": whole_line(
        r"(?:quellen?|source|sources|fuente|fuentes|kilde|källa|image|photo|foto|bild|picture)"
        r"\s*:(?:\s*[\w.&/'’-]+(?:\s+[\w.&/'’-]+){0,2})?"
    ),
    # Translation and origin notes: "Dies ist eine maschinelle Übersetzung eines Artikels ...",
    # "Lest den Originalartikel auf Englisch hier.", "Aus dem Englischen von Jan Doe",
    # "Dieser Artikel ist zuerst bei Capital erschienen.", "First published in The Conversation."
    "origin_note": whole_line(
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
        rf"{NAME}(?:\s+(?:und|and|et|y)\s+{NAME})?|"
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
    "staff_credits": whole_line(
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
    "rating_widget": whole_line(
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
    "link_copied": whole_line(
        r"(?:(?:the\s+)?(?:link|url)\s+(?:has\s+been\s+|was\s+)?(?:copied|kopiert)"
        r"(?:\s+to\s+(?:the\s+)?clipboard|\s+in\s+die\s+zwischenablage)?|"
        r"(?:link|url)\s+in\s+die\s+zwischenablage\s+kopiert|"
        r"copied\s+to\s+(?:the\s+)?clipboard|lien\s+copié|enlace\s+copiado|"
        r"(?:기사\s*)?url이\s*복사되었습니다|リンクを?コピーしました|链接已复制)"
    ),
    # A line introducing links to more on the topic: "Mehr zur Lage in Nahost lesen Sie in
    # unserem Liveblog:", "Mehr zum Thema finden Sie im Zins-Check:", "More on the budget:"
    "more_intro": whole_line(r"(?:mehr|more)\s+(?:zu[mr]?|über|dazu|on|about)\b[^.!?]{0,120}:"),
    # Table-of-contents headers: "Auf dieser Seite:", "On this page", "Inhaltsverzeichnis"
    "contents_label": whole_line(
        r"(?:auf\s+dieser\s+seite|in\s+diesem\s+artikel|inhaltsverzeichnis|on\s+this\s+page|"
        r"in\s+this\s+article|table\s+of\s+contents|contents|sur\s+cette\s+page|"
        r"dans\s+cet\s+article|sommaire|en\s+esta\s+página|en\s+este\s+artículo|índice)\s*:?"
    ),
    # Broadcast notes of radio and TV pages: "Sendung: Antenne Brandenburg, 24.04.2024, 15:10 Uhr"
    "broadcast_note": whole_line(
        r"sendung\s*:\s*[^.!?:]{2,80},\s*\d{1,2}\.\d{1,2}\.\d{2,4}(?:,\s*\d{1,2}[:.]\d\d\s*(?:uhr)?)?"
    ),
    # Timestamps with labels in Nordic languages and Turkish, weekday dates and Japanese dates:
    # "Uppdaterad 15.59 | Publicerad 14.14", "20 Nisan 2026•Güncelleme: 20 Nisan 2026",
    # "Freitag, 28.04.2023, 19:25", "2025年1月14日 01時28分 (1月14日 01時40分更新)"
    "timestamp_more": whole_line(
        rf"(?:{STAMP_LABEL})\s*:?\s*{STAMP}(?:\s*[|•·,–—-]\s*(?:{STAMP_LABEL})\s*:?\s*{STAMP})*|"
        rf"{STAMP}(?:\s*[|•·,–—-]\s*(?:{STAMP_LABEL})\s*:?\s*{STAMP})+|"
        r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|"
        r"jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
        r",?\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:,?\s+\d{1,2}[:.h]\d\d(?:\s*uhr)?)?|"
        r"\d{4}年\d{1,2}月\d{1,2}日\s*(?:\d{1,2}時\d{1,2}分)?\s*(?:[（(](?:\d{1,2}月\d{1,2}日\s*)?"
        r"\d{1,2}時\d{1,2}分\s*(?:更新|公開|配信)[）)])?\s*(?:更新|公開|配信)?"
    ),
    # "Advertisement", "Story continues below advertisement"
    "advertisement": whole_line(
        r"(?:story\s+continues\s+(?:below|after)\s+(?:this\s+)?)?(?:advertisement|advert|"
        r"sponsored|anzeige|werbung|publicité|publicidad)|advertisement\s*\d*\s*story\s+continues\s+"
        r"(?:below|after)|passer\s+la\s+publicité|skip\s+(?:this\s+)?ad(?:vert(?:isement)?)?|"
        r"werbung\s+überspringen|saltar\s+(?:la\s+)?publicidad"
    ),
}

"""Text data for the synthetic demo site: story templates, names, page and feed templates.

Templates are ``str.format`` strings. Slots come from three places: the topic setting
(``{city}``, ``{company}``...), the per-story people (``{p1}``..``{p4}`` and ``{p1_last}``..),
and the per-story numbers drawn by ``demosite`` (``{n_small}``, ``{pct}``, ``{money_m}``...).
Every paragraph template names at least one setting slot or person, so two stories never
share a whole paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One kind of news story: settings (one per story), headlines, lead, body and caption."""

    key: str
    section: str
    settings: tuple[Mapping[str, str], ...]
    headlines: tuple[str, ...]
    lead: str
    body: tuple[str, ...]
    caption: str


_FIRST_NAMES = (
    "Amara Benedikt Carmen Dmitri Elena Farid Greta Hiroshi Ines Jonas Kavita Lorenzo "
    "Mariam Nikolai Olivia Pablo Quentin Rosa Samuel Tamara Umar Valeria Wanjiru Xavier "
    "Yasmin Zoltan Adele Bruno Chiara Desmond Esther Felipe Gabriela Henrik Isabel Julian "
    "Katarzyna Luca Mei Nadia Oskar Priya Rafael Sofia Tobias Ursula Viktor Wen Yusuf "
    "Zara Anders Beatriz Colm Daria"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abernathy Bergstrom Castellanos Dufresne Ekwueme Falkenberg Gallagher Haddad Ibarra "
    "Jankowski Kowalczyk Lindqvist Moreau Nakamura Okafor Petrovic Quintero Rasmussen "
    "Santoro Takahashi Underwood Valdivia Whitfield Xu Yilmaz Zielinski Achterberg "
    "Bianchi Carvalho Delacroix Esposito Fitzgerald Grimaldi Holloway Iversen Jovanovic "
    "Kaminski Larsen Mwangi Novak Oyelaran Pellegrini Rahman Sandoval Thorne Varga Weston "
    "Yamamoto Zamora Brennan Costa Dragomir Engel"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
_FIRMS = (
    "Northgate Capital;Harbor Street Securities;Lindenmeyer Research;Tallis Economics;"
    "Crescent Ridge Advisors;Pemberton & Vale;Albion Market Analytics;Kestrel Partners;"
    "Meridian Insight;Corvus Asset Management;Baywater Strategy;Oakhurst Consulting;"
    "Silverline Research;Fenwick Global;Arden Macro;Blue Heron Analytics;"
    "Halcyon Investment Group;Ironbridge Securities;Westmark Economics;Solent Advisory;"
    "Cairn Street Partners;Larchmont Capital;Ostara Research;Whitcombe Analytics;"
    "Rookwood Partners;Thistle Bank Research;Calder & Moss;Everly Economics"
)
FIRMS = tuple(_FIRMS.split(";"))
MONTHS_NEXT = ("February", "March", "April", "May", "June")
MONTHS_PREV = ("September", "October", "November", "December")
ORDINALS = ("third", "fourth", "fifth", "sixth", "seventh")
FRACTIONS = ("fifth", "quarter", "third", "tenth")

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="rates",
        section="Business",
        settings=(
            {
                "CITY": "FRANKFURT",
                "city": "Frankfurt",
                "bank": "the European Central Bank",
                "Bank": "The European Central Bank",
                "short": "ECB",
                "region": "the euro zone",
                "adj": "euro zone",
                "currency": "the euro",
                "Currency": "The euro",
                "chief": "ECB President",
                "rate": "2.25",
                "panel": "the European Parliament's economic affairs committee",
            },
            {
                "CITY": "LONDON",
                "city": "London",
                "bank": "the Bank of England",
                "Bank": "The Bank of England",
                "short": "BoE",
                "region": "Britain",
                "adj": "British",
                "currency": "the pound",
                "Currency": "The pound",
                "chief": "BoE Governor",
                "rate": "3.75",
                "panel": "parliament's Treasury Committee",
            },
        ),
        headlines=(
            "{short} holds rates at {rate}% as {adj} inflation cools",
            "{Bank} keeps rates on hold, hints at cut by {month_next}",
        ),
        lead=(
            "{Bank} left its benchmark interest rate unchanged at {rate}% on {weekday}, saying "
            "inflation in {region} had eased to {pct}% while warning that wage growth remained "
            "too strong for policymakers to declare the job done."
        ),
        body=(
            "The decision was backed by most members of the {short} rate-setting panel, officials "
            "said, although a minority argued for an immediate quarter-point cut, the widest "
            "split among policymakers since {year_past}.",
            "\u201cWe are not yet where we need to be, but the direction of travel is clear,\u201d "
            "{chief} {p1} told reporters in {city}. \u201cWe will take our decisions meeting by "
            "meeting, and we will follow the data.\u201d",
            "{Currency} rose {pct_small}% against the dollar after the announcement, while yields "
            "on two-year government bonds fell {bp} basis points as traders brought forward their "
            "bets on a first cut to {month_next}.",
            "{p2}, chief economist at {firm}, said the statement was softer than markets had "
            "expected. \u201cThey have opened the door, and investors are going to walk straight "
            "through it,\u201d {p2_last} said.",
            "Consumer prices in {region} rose {pct}% in the twelve months to December, down from "
            "{pct_prev}% a month earlier, as energy costs fell and the price of goods stabilised. "
            "Core inflation, which strips out food and fuel, slowed more gradually.",
            "Business surveys published last week showed activity in {region} contracting for a "
            "{ordinal} consecutive month, with manufacturers reporting weak export orders and "
            "cutting staff at the fastest pace since {year_past}.",
            "The {short} also lowered its growth forecast for this year, citing weaker household "
            "spending and the delayed effect of higher borrowing costs on the housing market, "
            "where approvals for new mortgages have fallen by about a {fraction}.",
            "Unemployment has edged higher, but officials in {city} said the labour market "
            "remained tight by historical standards and that pay settlements were still running "
            "well above the level consistent with a 2% inflation target.",
            "{p1_last} declined to say whether a cut was likely at the next meeting in "
            "{month_next}, but said the panel had discussed \u201ca range of scenarios\u201d and "
            "that none of them involved raising rates again.",
            "Critics have accused the {short} of reacting too slowly, first to the surge in prices "
            "and now to the downturn. {p3}, a member of {panel}, said families on variable-rate "
            "mortgages \u201ccannot afford another season of hesitation.\u201d",
        ),
        caption="{chief} {p1} speaks during a news conference in {city}, {photo_day}.",
    ),
    Topic(
        key="earnings",
        section="Business",
        settings=(
            {
                "CITY": "OSLO",
                "city": "Oslo",
                "company": "Halvorsen Motors",
                "sector": "electric vans",
                "product": "its Arc delivery van",
                "exchange": "in Oslo",
                "rival": "Brenner Fahrzeugbau",
                "cur": "crowns",
            },
            {
                "CITY": "CHICAGO",
                "city": "Chicago",
                "company": "Brightwater Foods",
                "sector": "packaged foods",
                "product": "its frozen ready meals",
                "exchange": "in New York",
                "rival": "Larkspur Brands",
                "cur": "dollars",
            },
        ),
        headlines=(
            "{company} profit beats forecasts as demand for {sector} recovers",
            "{company} shares jump {pct}% after quarterly results top estimates",
        ),
        lead=(
            "{company} reported a larger-than-expected rise in quarterly profit on {weekday}, "
            "helped by recovering demand for {sector} and a cost-cutting plan that has eliminated "
            "about {n_huge} jobs over the past two years."
        ),
        body=(
            "Net income rose to {money_m} {cur} in the fourth quarter from {money_m2} {cur} a year "
            "earlier, on revenue of {money} {cur}, {company} said in a statement. Analysts polled "
            "by {firm} had expected a smaller increase.",
            "Shares in {company} rose as much as {pct}% in early trading {exchange}, their biggest "
            "one-day gain since {year_past}, before paring some of the advance.",
            "Chief executive {p1} said orders for {product} had picked up sharply in the final "
            "weeks of the year. \u201cOur customers stopped waiting and started buying,\u201d "
            "{p1_last} told analysts on a conference call.",
            "{company} raised its forecast for operating margins this year to between {n_small}% "
            "and {n_small_plus}%, saying savings from the restructuring would more than offset "
            "higher wages and marketing costs.",
            "{p2}, an analyst at {firm2}, said the results showed the restructuring was beginning "
            "to pay off, but cautioned that much of the improvement came from lower raw material "
            "costs that may not last.",
            "The company has been under pressure from activist investors, who have pushed for the "
            "sale of non-core units and a larger share buyback. The board of {company} approved a "
            "new repurchase programme worth up to {money_m2} {cur} on {weekday}.",
            "{company} competes with {rival} and a growing number of lower-cost producers in "
            "Asia, which have taken market share in {sector} over the past {n_small} years.",
            "Labour unions at the company's plants near {city} have warned they will oppose any "
            "further job cuts, and a spokesperson for the main union, {p3}, said talks on a new "
            "wage agreement would resume next month.",
            "{company} said it expected supply chains to remain stable this year, but flagged "
            "the risk of higher tariffs on imported components, which it said could cut annual "
            "profit by as much as {n_big} million {cur}.",
            "The company will publish its annual report in {month_next} and hold an investor day "
            "in {city} later in the spring, where {p1_last} is expected to set new targets.",
        ),
        caption="The logo of {company} is seen at the company's headquarters in {city}, "
        "{photo_day}.",
    ),
    Topic(
        key="storm",
        section="World",
        settings=(
            {
                "CITY": "BERGEN",
                "city": "Bergen",
                "place": "Bergen, Norway",
                "storm": "Storm Ingrid",
                "Storm": "Storm Ingrid",
                "region": "western Norway",
                "met": "the Norwegian Meteorological Institute",
                "Met": "The Norwegian Meteorological Institute",
                "gust": "164 km per hour",
            },
            {
                "CITY": "DENVER",
                "city": "Denver",
                "place": "Denver, Colorado",
                "storm": "winter storm Carlotta",
                "Storm": "Winter storm Carlotta",
                "region": "the Rocky Mountain states",
                "met": "the National Weather Service",
                "Met": "The National Weather Service",
                "gust": "97 miles per hour",
            },
        ),
        headlines=(
            "{Storm} leaves {n_huge} homes without power across {region}",
            "{Storm} kills {n_small}, brings travel chaos to {region}",
        ),
        lead=(
            "{Storm} tore across {region} overnight into {weekday}, killing at least {n_small} "
            "people, bringing down power lines and leaving about {n_huge} homes without "
            "electricity, authorities said."
        ),
        body=(
            "{Met} recorded gusts of up to {gust} near {city}, the strongest it has measured in "
            "the area since {year_past}, and kept its highest warning level in place for exposed "
            "districts.",
            "Emergency services in {region} said they had received more than {n_big} calls for "
            "help overnight, mostly about fallen trees, flooded basements and damaged roofs.",
            "{p1}, who leads the regional emergency management agency, said crews were working "
            "to clear blocked roads. \u201cOur priority is to reach the people who are cut off, "
            "and that will take time,\u201d {p1_last} said.",
            "Schools in and around {city} were closed on {weekday}, and rail operators cancelled "
            "most services through the region while engineers inspected tracks and overhead lines.",
            "\u201cThe whole house was shaking, and then everything went dark,\u201d said {p2}, "
            "{age}, who lives near the centre of {city}. \u201cIn the morning the street was full "
            "of branches and pieces of roofs.\u201d",
            "Utility companies said power could be restored to most customers within {n_small} "
            "days, but warned that homes in remote parts of {region} might wait longer because "
            "repair crews could not yet reach damaged lines safely.",
            "Insurers said it was too early to estimate losses, although {firm} put preliminary "
            "insured damage from {storm} at around {money_m} dollars.",
            "Scientists say storms of this kind are becoming more intense as the climate warms, "
            "and {met} said this winter had already brought {n_small} severe weather warnings "
            "to {region}.",
            "The government said it would release emergency funds for the worst-hit communities, "
            "and {p3}, the official in charge of civil protection, was expected to visit {city} "
            "later on {weekday}.",
            "Forecasters said {storm} would weaken as it moved inland, but warned of further "
            "heavy rain and the risk of landslides along rivers already swollen by snowmelt.",
        ),
        caption="A resident walks past a tree brought down by {storm} in {place}, {photo_day}.",
    ),
    Topic(
        key="budget",
        section="Politics",
        settings=(
            {
                "CITY": "ROME",
                "city": "Rome",
                "country": "Italy",
                "chamber": "the Senate",
                "party": "the governing coalition",
                "Opposition": "The centre-left opposition",
                "minister": "Economy Minister",
                "cur": "euros",
                "votes": "108 votes to 69",
                "next_step": "The bill now returns to the Chamber of Deputies for a final reading "
                "expected before the end of the month.",
            },
            {
                "CITY": "WARSAW",
                "city": "Warsaw",
                "country": "Poland",
                "chamber": "the Sejm, the lower house of parliament",
                "party": "the ruling alliance",
                "Opposition": "Right-wing opposition lawmakers",
                "minister": "Finance Minister",
                "cur": "zlotys",
                "votes": "238 votes to 211",
                "next_step": "The bill now goes to the Senate, which can propose amendments, and "
                "then to the president, who has hinted he may challenge parts of it.",
            },
        ),
        headlines=(
            "Lawmakers in {country} pass budget after all-night debate",
            "{country} approves 2026 budget as opposition walks out",
        ),
        lead=(
            "Lawmakers in {country} approved the government's budget for 2026 in the early hours "
            "of {weekday} after an all-night debate, handing Prime Minister {p1} a victory in a "
            "fight that had threatened to split {party}."
        ),
        body=(
            "The budget passed by {votes} in {chamber}, a wider margin than expected after "
            "several rebels from {party} agreed to back it in return for last-minute concessions.",
            "{minister} {p2} said the plan would bring the deficit down to {pct}% of gross "
            "domestic product this year from {pct_prev}% in 2025, meeting a commitment made to "
            "investors and to {country}'s partners.",
            "The package includes tax cuts for low- and middle-income households worth about "
            "{money} {cur}, funded partly by a new levy on bank profits and higher duties on "
            "tobacco and sugary drinks in {country}.",
            "{Opposition} walked out of the chamber before the final vote, accusing the "
            "government of forcing the bill through. \u201cThis is not a budget, it is an "
            "election manifesto paid for by the next generation,\u201d said {p3}, a senior "
            "opposition lawmaker.",
            "The vote followed weeks of wrangling within {party} over defence spending, which "
            "will rise by {pct}% under the plan, and over pension increases that smaller partners "
            "had demanded as the price of their support.",
            "Credit rating agencies have warned {country} that they are watching its public "
            "finances closely, and {firm} said in a note that the government's growth "
            "assumptions looked optimistic.",
            "Several hundred protesters gathered outside parliament in {city} on the eve of the "
            "vote, waving placards against cuts to regional transport subsidies and university "
            "funding.",
            "{p1_last} thanked lawmakers in a short statement and said the budget would "
            "\u201cgive families breathing space\u201d after {n_small} years of high prices. "
            "{next_step}",
            "{p4}, a professor of public finance in {city}, said the tax cuts would add little "
            "to growth but could help consumer confidence, which has been weak since {year_past}.",
        ),
        caption="Prime Minister {p1} addresses lawmakers during the budget debate in {city}, "
        "{photo_day}.",
    ),
    Topic(
        key="trade",
        section="Business",
        settings=(
            {
                "CITY": "NEW DELHI",
                "city": "New Delhi",
                "side_a": "the European Union",
                "Side_a": "The European Union",
                "side_b": "India",
                "goods": "wine, cars and machinery",
                "a_role": "EU trade commissioner",
                "b_role": "India's commerce minister",
            },
            {
                "CITY": "MEXICO CITY",
                "city": "Mexico City",
                "side_a": "Mexico",
                "Side_a": "Mexico",
                "side_b": "South Korea",
                "goods": "steel, car parts and farm produce",
                "a_role": "Mexico's economy minister",
                "b_role": "South Korea's trade minister",
            },
        ),
        headlines=(
            "{Side_a} and {side_b} close in on trade deal after talks in {city}",
            "{Side_a} and {side_b} settle tariff dispute over {goods}",
        ),
        lead=(
            "{Side_a} and {side_b} said on {weekday} they had resolved most of their remaining "
            "differences over tariffs on {goods}, moving a step closer to a trade agreement that "
            "negotiators have been working on since {year_past}."
        ),
        body=(
            "Negotiators met for {n_small} days in {city} and agreed to phase out duties on about "
            "{n_mid}% of the goods traded between {side_a} and {side_b} over ten years, according "
            "to a joint statement.",
            "\u201cWe have done the hard part, and what is left is mostly legal drafting,\u201d "
            "{a_role} {p1} told reporters after the final session. {p1_last} said the text could "
            "be signed within months.",
            "{b_role} {p2} was more cautious, saying that questions over farm subsidies and rules "
            "on the origin of goods still had to be settled before {side_b} could sign.",
            "Trade between {side_a} and {side_b} was worth about {money} dollars last year, and "
            "business groups on both sides have lobbied hard for a deal that would cut costs for "
            "exporters.",
            "Farmers' organisations oppose the agreement, arguing that cheaper imports of {goods} "
            "would undercut local producers. {p3}, who heads a farmers' federation, said members "
            "would protest if protections were removed.",
            "The talks gained urgency after a wave of tariffs imposed by other large economies "
            "last year disrupted supply chains and pushed {side_a} to look for new markets.",
            "{firm} estimated that the deal could lift exports from {side_b} to {side_a} by as "
            "much as {pct}% within five years, though it said much would depend on how quickly "
            "customs procedures were simplified.",
            "The agreement between {side_a} and {side_b} would also cover digital trade, public "
            "procurement and labour rights, including commitments that trade unions had demanded.",
            "Officials said the next round of talks would be held in {month_next}, when "
            "negotiators from {side_b} hope to close the remaining chapters and publish a summary "
            "of the text.",
        ),
        caption="{a_role} {p1} and {b_role} {p2} shake hands before talks in {city}, {photo_day}.",
    ),
    Topic(
        key="outbreak",
        section="Health",
        settings=(
            {
                "CITY": "NAIROBI",
                "city": "Nairobi",
                "country": "Kenya",
                "disease": "cholera",
                "Disease": "Cholera",
                "region": "the northern county of Turkana",
                "ministry": "the Ministry of Health",
                "measure": "an oral vaccination campaign",
                "Measure": "The oral vaccination campaign",
                "cause": "poor sanitation and a shortage of clean water after months of drought",
            },
            {
                "CITY": "BUCHAREST",
                "city": "Bucharest",
                "country": "Romania",
                "disease": "measles",
                "Disease": "Measles",
                "region": "the north-eastern counties",
                "ministry": "the health ministry",
                "measure": "a catch-up vaccination drive",
                "Measure": "The catch-up drive",
                "cause": "a fall in childhood vaccination rates during and after the pandemic",
            },
        ),
        headlines=(
            "{country} declares {disease} emergency as weekly cases top {n_big}",
            "{Disease} cases surge in {country}, officials warn of wider spread",
        ),
        lead=(
            "Health authorities in {country} declared a {disease} emergency in {region} on "
            "{weekday} after confirming {n_big} new cases in a week, and said they would launch "
            "{measure} to contain the outbreak."
        ),
        body=(
            "At least {n_small} people have died of {disease} since the outbreak began in "
            "{month_prev}, most of them young children and elderly people in remote villages, "
            "according to official figures.",
            "\u201cWe are seeing cases in places that had not reported any for years, and that "
            "worries us,\u201d said {p1}, head of disease control at {ministry} in {city}.",
            "The World Health Organization said it was sending experts and supplies to support "
            "the response in {country}, and judged the risk of spread to neighbouring countries "
            "to be moderate.",
            "Doctors at a district hospital in {region} said wards were full and patients were "
            "being treated in tents. \u201cWe have enough staff for a normal season, not for "
            "this,\u201d said {p2}, a nurse who has worked there for {n_small} years.",
            "{Measure} will target about {n_huge} people in the worst-affected districts over the "
            "next {n_small} weeks, officials said, with priority for children and health workers.",
            "Experts attribute the spread of {disease} largely to {cause}, and have urged the "
            "government to invest in prevention rather than reacting to emergencies.",
            "{p3}, an epidemiologist who advises the government, said case numbers in {country} "
            "could double before the peak. \u201cThe next four weeks are decisive,\u201d "
            "{p3_last} said.",
            "Authorities have restricted large gatherings in {region} and asked residents to "
            "report symptoms early. A hotline set up by {ministry} received more than {n_big} "
            "calls on its first day.",
            "The outbreak comes as the health system in {country} struggles with budget cuts and "
            "staff shortages, with unions saying hundreds of rural clinic posts remain vacant.",
        ),
        caption="A health worker prepares doses during {measure} in {city}, {photo_day}.",
    ),
    Topic(
        key="oil",
        section="Markets",
        settings=(
            {
                "CITY": "LONDON",
                "city": "London",
                "benchmark": "Brent crude",
                "Benchmark": "Brent crude",
                "price": "81.40",
                "driver": "outages at two North Sea oilfields and signs of stronger winter demand",
                "driver_short": "North Sea outages",
            },
            {
                "CITY": "HOUSTON",
                "city": "Houston",
                "benchmark": "U.S. West Texas Intermediate crude",
                "Benchmark": "U.S. West Texas Intermediate crude",
                "price": "76.85",
                "driver": "a bigger-than-expected drop in U.S. inventories and freezing weather "
                "in Texas",
                "driver_short": "U.S. stock draw and Texas freeze",
            },
        ),
        headlines=(
            "Oil hits {n_small}-week high on {driver_short}",
            "Oil extends rally for {ordinal} day as {driver_short} lift prices",
        ),
        lead=(
            "Oil prices rose for a {ordinal} straight session on {weekday}, with {benchmark} "
            "climbing to ${price} a barrel, its highest in {n_small} weeks, as traders reacted "
            "to {driver}."
        ),
        body=(
            "{Benchmark} futures were up {pct_small}% by mid-afternoon in {city}, while the gap "
            "between near-term and later contracts widened, a sign that traders expect supplies "
            "to tighten.",
            "\u201cThe market had become too comfortable with the idea of a glut,\u201d said "
            "{p1}, head of commodities research at {firm}. \u201cThis is a reminder that supply "
            "can disappear faster than anyone expects.\u201d",
            "Two delegates from producer countries, who asked not to be named, told "
            "{agency_name} that the OPEC+ group was unlikely to raise output at its {month_next} "
            "meeting while {benchmark} stayed below levels its members need.",
            "Industry data showed crude stockpiles fell by {n_dec} million barrels last week, "
            "more than analysts had forecast, and traders in {city} said refiners were buying "
            "aggressively.",
            "Higher fuel prices could complicate efforts by central banks to bring inflation "
            "down. Gasoline futures have risen {pct}% this month, and airlines flying out of "
            "{city} said jet fuel costs were squeezing margins.",
            "Not everyone is convinced the rally will last. {p2}, a strategist at {firm2}, said "
            "weak factory data pointed to soft demand later in the year. \u201cFundamentals have "
            "not changed that much,\u201d {p2_last} said.",
            "Tanker rates also climbed, with the cost of shipping crude to Asia up {n_mid}% this "
            "week, according to brokers in {city}.",
            "The dollar weakened slightly on {weekday}, making dollar-priced commodities cheaper "
            "for holders of other currencies and adding support to {benchmark}.",
            "Analysts at {firm} raised their average price forecast for {benchmark} this year by "
            "${n_small} a barrel, citing {driver}.",
        ),
        caption="A pump jack operates at an oilfield as prices for {benchmark} rise, {photo_day}.",
    ),
    Topic(
        key="antitrust",
        section="Technology",
        settings=(
            {
                "CITY": "BRUSSELS",
                "city": "Brussels",
                "regulator": "the European Commission",
                "Regulator": "The European Commission",
                "company": "Lumina Search",
                "market": "online advertising",
                "fine": "2.1 billion euros",
                "conduct": "favouring its own shopping service in search results",
                "conduct_short": "favouring its shopping service",
                "law": "EU competition rules",
            },
            {
                "CITY": "LONDON",
                "city": "London",
                "regulator": "Britain's Competition and Markets Authority",
                "Regulator": "Britain's Competition and Markets Authority",
                "company": "Cloudhaven",
                "market": "cloud computing",
                "fine": "310 million pounds",
                "conduct": "charging customers steep fees to move their data to rival providers",
                "conduct_short": "cloud switching fees",
                "law": "British competition law",
            },
        ),
        headlines=(
            "{company} fined {fine} over {conduct_short}",
            "{Regulator} orders {company} to change {market} practices",
        ),
        lead=(
            "{Regulator} fined {company} {fine} on {weekday} for {conduct}, one of the largest "
            "penalties yet imposed on a technology company for breaking {law}."
        ),
        body=(
            "The regulator said {company} had abused its dominant position in {market} for at "
            "least {n_small} years, harming rivals and leaving customers with less choice and "
            "higher prices.",
            "\u201cBig platforms are welcome to compete hard, but they must compete fairly,\u201d "
            "said {p1}, who led the investigation in {city}. \u201cThis decision sends a clear "
            "message to the whole sector.\u201d",
            "{company} said it would appeal. \u201cWe strongly disagree with this decision and "
            "believe our products have always been designed to serve users,\u201d the company "
            "said in a statement.",
            "{company} has {n_mid} days to end the practices or face additional daily penalties "
            "of up to {pct_small}% of its average daily worldwide turnover, the regulator said.",
            "Rival firms welcomed the ruling. {p2}, chief executive of a smaller competitor in "
            "{market}, said the decision was \u201clong overdue\u201d but warned that fines alone "
            "would not restore competition.",
            "The case began in {year_past} after complaints from {n_small} companies and a "
            "consumer group, and has been one of the most closely watched investigations handled "
            "in {city}.",
            "Shares in {company} fell {pct_small}% in after-hours trading. The fine amounts to "
            "roughly {n_small} days of the company's revenue, according to calculations by {firm}.",
            "{p3}, a legislator who has campaigned for tougher rules on large platforms, said the "
            "ruling against {company} showed that existing laws could be enforced \u201cwhen "
            "regulators have the courage to use them.\u201d",
            "The decision is the latest in a series of actions against large technology firms in "
            "{market}, and lawyers said further cases under {law} were likely this year.",
        ),
        caption="The {company} logo is displayed at an office in {city}, {photo_day}.",
    ),
    Topic(
        key="football",
        section="Sports",
        settings=(
            {
                "CITY": "MANCHESTER",
                "city": "Manchester",
                "club": "Northbridge United",
                "competition": "the Premier League",
                "rival": "Castleford Rovers",
                "stadium": "Riverside Park",
                "cur": "pounds",
            },
            {
                "CITY": "MADRID",
                "city": "Madrid",
                "club": "Atletico Valverde",
                "competition": "La Liga",
                "rival": "Real Sorolla",
                "stadium": "Estadio del Tajo",
                "cur": "euros",
            },
        ),
        headlines=(
            "{club} sack coach {p1} after {n_small}-game winless run",
            "{club} part ways with {p1} as relegation fears grow",
        ),
        lead=(
            "{club} dismissed head coach {p1} on {weekday} after a {n_small}-match winless run "
            "left the team just above the relegation zone in {competition}."
        ),
        body=(
            "The final straw was a {score} home defeat by {rival} at {stadium} on Sunday, when "
            "sections of the crowd left before half-time.",
            "\u201cWe thank {p1} for the work and commitment shown over the past {n_small_plus} "
            "months, but results have not met our expectations,\u201d {club} said in a statement.",
            "Assistant coach {p2} will take charge of {club} on an interim basis, starting with "
            "next weekend's trip to one of the league leaders, while the board searches for a "
            "permanent replacement.",
            "{p1_last} arrived in the summer with a mandate to rebuild the squad, and the club "
            "spent heavily on new signings, including a record fee of {money_m} {cur} for a "
            "forward who has scored only twice.",
            "Supporters had grown increasingly restless, and chants against the board were heard "
            "throughout the second half at {stadium}. A fans' group said the problems at {club} "
            "went deeper than the coach.",
            "{club} have conceded {goals} goals this season, more than any other side in "
            "{competition} except the team at the bottom of the table.",
            "{p3}, a former international who guided a rival club to a cup final two seasons ago, "
            "was installed by bookmakers in {city} as the favourite for the job.",
            "It is the {ordinal} managerial change in {competition} this season, underlining the "
            "pressure on coaches as clubs try to avoid relegation, which can cost more than "
            "{money_m2} {cur} in lost broadcast income.",
            "The chairman of {club}, {p4}, is expected to speak to reporters in {city} later this "
            "week about the appointment process and the club's finances.",
        ),
        caption="{club} head coach {p1} looks on during the match against {rival} at {stadium}, "
        "{photo_day}.",
    ),
    Topic(
        key="court",
        section="Politics",
        settings=(
            {
                "CITY": "WASHINGTON",
                "city": "Washington",
                "court": "the U.S. Supreme Court",
                "Court": "The U.S. Supreme Court",
                "court_head": "U.S. Supreme Court",
                "country": "the United States",
                "verb": "upheld",
                "verb_head": "upholds",
                "issue": "a Michigan law that limits the use of facial recognition by police",
                "issue_short": "limits on police facial recognition",
                "vote_phrase": "in a 6-3 decision",
                "challengers": "a group of police unions",
                "winner": "the state of Michigan",
                "area": "policing",
                "challenger_arg": "the law stopped officers from using tools that identify "
                "suspects quickly",
                "justice": "the Justice Department",
                "other_cases": "gun permits and student loans",
            },
            {
                "CITY": "BRASILIA",
                "city": "Brasilia",
                "court": "Brazil's Supreme Federal Court",
                "Court": "Brazil's Supreme Federal Court",
                "court_head": "Brazil's top court",
                "country": "Brazil",
                "verb": "struck down",
                "verb_head": "strikes down",
                "issue": "a government decree that would have allowed the sale of the national "
                "postal service",
                "issue_short": "postal privatisation decree",
                "vote_phrase": "in a 7-4 vote",
                "challengers": "an alliance of postal unions and opposition parties",
                "winner": "the postal unions",
                "area": "the postal sector",
                "challenger_arg": "the sale of a strategic public company required approval by "
                "Congress",
                "justice": "the Ministry of Justice",
                "other_cases": "indigenous land rights and social media regulation",
            },
        ),
        headlines=(
            "{court_head} {verb_head} {issue_short}",
            "{court_head} {verb_head} {issue_short} after years of appeals",
        ),
        lead=(
            "{Court} {verb} {issue} on {weekday}, {vote_phrase} that is expected to shape how "
            "similar cases are decided across {country}."
        ),
        body=(
            "Writing for the majority, Justice {p1} said the lower courts had applied the wrong "
            "test and that the constitution required a careful balance between public interests "
            "and individual rights in {area}.",
            "In a separate opinion, Justice {p2} warned that the ruling left important questions "
            "unanswered and would invite a new wave of litigation across {country}.",
            "The case was brought by {challengers} in {year_past} and has been through several "
            "rounds of appeals. Lawyers for the challengers had argued that {challenger_arg}.",
            "\u201cToday the court listened,\u201d said {p3}, a lawyer for {winner}, speaking to "
            "reporters outside the courthouse in {city}. \u201cThis is a good day for ordinary "
            "people.\u201d",
            "Legal scholars said the ruling could have consequences well beyond {area}. {p4}, a "
            "constitutional law professor, said the court had \u201cdrawn a line that legislators "
            "will have to respect.\u201d",
            "A spokesperson for {justice} said officials would study the judgment carefully "
            "before deciding on next steps in {country}.",
            "About {n_big} demonstrators from both sides gathered outside the court in {city} as "
            "the decision was read, some cheering and others chanting slogans.",
            "The ruling is one of {n_small} major decisions {court} is expected to deliver before "
            "the end of its current session, including cases on {other_cases}.",
            "Similar disputes over {area} are pending in lower courts in {country}, and lawyers "
            "said {p1_last}'s opinion would likely decide most of them.",
        ),
        caption="Demonstrators gather outside {court} in {city} ahead of the ruling, {photo_day}.",
    ),
    Topic(
        key="drought",
        section="Environment",
        settings=(
            {
                "CITY": "BARCELONA",
                "city": "Barcelona",
                "region": "Catalonia",
                "res_pct": "16",
                "river": "the Ter and Llobregat rivers",
                "cur": "euros",
                "authority": "the regional water agency",
                "plan": "to speed up the construction of a second desalination plant and to "
                "ship in water by tanker if necessary",
            },
            {
                "CITY": "CAPE TOWN",
                "city": "Cape Town",
                "region": "the Western Cape",
                "res_pct": "21",
                "river": "the Berg River",
                "cur": "rand",
                "authority": "the provincial water department",
                "plan": "to drill new boreholes into the aquifer beneath the city and to expand "
                "the reuse of treated wastewater",
            },
        ),
        headlines=(
            "{city} imposes water restrictions as reservoirs fall to {res_pct}%",
            "Drought forces {region} to ration water for farms and homes",
        ),
        lead=(
            "Authorities in {region} announced strict water restrictions on {weekday} as "
            "reservoirs fell to {res_pct}% of capacity after {n_small_plus} months of "
            "below-average rainfall, the worst drought in the area since records began."
        ),
        body=(
            "Under the new rules, households in {city} will be limited to {litres} litres of "
            "water per person per day, filling swimming pools and washing cars will be banned, "
            "and public fountains will be turned off.",
            "Farmers in {region} will see irrigation allowances cut by {n_mid}%, a measure that "
            "agricultural groups said would devastate crops that depend on steady watering.",
            "\u201cWe have no choice,\u201d said {p1}, who heads {authority}. \u201cIf it does "
            "not rain in the coming weeks, we will have to go further.\u201d",
            "Water levels in {river} have dropped so low that parts of the riverbed are exposed, "
            "and environmental groups warned of damage to fish and wetland birds.",
            "{p2}, a climate researcher at a university in {city}, said long droughts were "
            "becoming more frequent. \u201cWhat used to happen once in a generation now happens "
            "every few years,\u201d {p2_last} said.",
            "To secure supplies, the government in {region} plans {plan}, at an estimated cost of "
            "{money_m} {cur}.",
            "Tourism operators in {city} said they feared cancellations, although officials said "
            "hotels would be exempt from the toughest limits if they cut consumption by {n_mid}%.",
            "Inspectors from {authority} will carry out spot checks, and households that exceed "
            "their allowance face fines of up to {n_big} {cur}.",
            "{p3}, who runs a farm outside {city}, said half the harvest was already lost. "
            "\u201cWe have been rationing for months. Now there is nothing left to ration,\u201d "
            "{p3_last} said.",
        ),
        caption="A cracked riverbed is seen near {city} as {region} faces a severe drought, "
        "{photo_day}.",
    ),
    Topic(
        key="strike",
        section="World",
        settings=(
            {
                "CITY": "PARIS",
                "city": "Paris",
                "country": "France",
                "workers": "rail workers",
                "Workers": "Rail workers",
                "services": "trains",
                "operator": "the national rail operator",
                "Operator": "The national rail operator",
                "union": "the largest rail union",
                "cur": "euros",
                "offer": "3.5%",
                "demand": "a 6% pay rise and no change to the retirement age for drivers",
                "alt": "buses, shared cars and bicycles",
            },
            {
                "CITY": "HAMBURG",
                "city": "Hamburg",
                "country": "Germany",
                "workers": "airport ground staff",
                "Workers": "Airport ground staff",
                "services": "flights",
                "operator": "the airport operators",
                "Operator": "The airport operators",
                "union": "the main services union",
                "cur": "euros",
                "offer": "4%",
                "demand": "an 8% pay rise and higher allowances for night shifts",
                "alt": "trains and long-distance coaches",
            },
        ),
        headlines=(
            "{Workers} strike across {country}, halting most {services}",
            "Strike by {workers} strands travellers in {city} and across {country}",
        ),
        lead=(
            "{Workers} across {country} walked off the job on {weekday} in a dispute over pay, "
            "cancelling most {services} and forcing hundreds of thousands of people to find "
            "other ways to travel."
        ),
        body=(
            "{Operator} said only about one in {n_small} scheduled {services} would run, and "
            "advised passengers to postpone journeys through {city} until the weekend.",
            "The strike was called by {union}, which is demanding {demand}. Management has "
            "offered {offer} over two years, which the union rejected as \u201can insult\u201d.",
            "\u201cNobody strikes for fun,\u201d said {p1}, a union representative, at a picket "
            "line in {city}. \u201cBut our members have lost a lot of purchasing power, and they "
            "want it back.\u201d",
            "Travellers crowded onto {alt} on {weekday} morning, and traffic jams around {city} "
            "stretched for more than {n_mid} kilometres at the peak of the rush hour.",
            "\u201cI left home at five and I will be lucky to get to work by nine,\u201d said "
            "{p2}, {age}, a hospital worker waiting for one of the few {services} still running "
            "in {city}.",
            "The government urged both sides to return to talks. Transport minister {p3} said the "
            "stoppage by {workers} was \u201cdisproportionate\u201d and called for mediation.",
            "Business groups estimated that each day of the strike cost the economy of {country} "
            "about {money_m} {cur} in lost output and missed connections.",
            "The union has threatened further walkouts in {month_next} if no agreement is "
            "reached, in what would be the {ordinal} stoppage by {workers} since the autumn.",
            "{Operator} said passengers with tickets for {weekday} could change them free of "
            "charge or claim a full refund online.",
        ),
        caption="Travellers wait in front of departure boards as {workers} strike in {city}, "
        "{photo_day}.",
    ),
    Topic(
        key="space",
        section="Science",
        settings=(
            {
                "CITY": "KOUROU",
                "city": "Kourou",
                "space": "the European Space Agency",
                "Space": "The European Space Agency",
                "short": "ESA",
                "mission": "Aurora Polar",
                "rocket": "an Ariane 6 rocket",
                "Rocket": "The Ariane 6 rocket",
                "site": "Europe's spaceport in French Guiana",
                "purpose": "measure changes in the thickness of sea ice around the poles",
                "purpose_short": "track polar sea ice",
                "forecast": "winter weather in Europe",
                "cost": "480 million euros",
            },
            {
                "CITY": "CAPE CANAVERAL",
                "city": "Cape Canaveral",
                "space": "NASA",
                "Space": "NASA",
                "short": "NASA",
                "mission": "Tidewater",
                "rocket": "a Falcon 9 rocket",
                "Rocket": "The Falcon 9 rocket",
                "site": "Cape Canaveral Space Force Station in Florida",
                "purpose": "map how fast sea levels are rising along the world's coastlines",
                "purpose_short": "map rising seas",
                "forecast": "coastal flooding",
                "cost": "$620 million",
            },
        ),
        headlines=(
            "{short} launches {mission} satellite to {purpose_short}",
            "{short}'s {mission} mission lifts off from {city}",
        ),
        lead=(
            "{Space} launched the {mission} satellite on {weekday}, sending into orbit a "
            "spacecraft designed to {purpose}, in a mission scientists say will sharpen "
            "forecasts of {forecast}."
        ),
        body=(
            "{Rocket} carrying the {n_dec}-tonne spacecraft lifted off from {site} at {clock} "
            "local time, under clear skies and with light winds.",
            "Controllers confirmed about {n_mid} minutes later that {mission} had separated from "
            "the upper stage and unfolded its solar panels. \u201cEverything went by the "
            "book,\u201d said mission manager {p1}.",
            "{mission} will spend {n_small} months testing its instruments before starting "
            "science operations, which are planned to last at least seven years.",
            "The mission cost about {cost}, including launch and operations, making it one of "
            "the larger Earth observation projects {space} has undertaken.",
            "\u201cFor the first time we will have measurements precise enough to see changes "
            "from one season to the next,\u201d said {p2}, a scientist on the {mission} team.",
            "The launch had been postponed twice since {month_prev}, once because of high winds "
            "over {city} and once because of a faulty valve on the upper stage.",
            "Data from {mission} will be made freely available to researchers and weather "
            "services around the world within hours of being collected, {short} said.",
            "The satellite's main instrument was built by a consortium of {n_small} companies, "
            "and officials said the {mission} programme had supported about {n_huge} jobs.",
            "{Space} plans to launch a second, identical {mission} satellite in two years' time, "
            "so that the measurements can continue without a gap, according to {p3}, who leads "
            "the Earth observation programme.",
        ),
        caption="{Rocket} carrying the {mission} satellite lifts off from {site}, {photo_day}.",
    ),
)

WIRE_SECTIONS = (
    "World",
    "Business",
    "Markets",
    "Politics",
    "Technology",
    "Health",
    "Environment",
    "Science",
    "Sports",
    "Opinion",
    "Video",
    "Podcasts",
)
COURIER_SECTIONS = (
    "Local",
    "Nation",
    "World",
    "Business",
    "Sport",
    "Politics",
    "Health",
    "Science",
    "Weather",
    "Obituaries",
    "Puzzles",
    "Lifestyle",
)
WIRE_COOKIE = (
    "We use cookies and similar technologies to improve your experience, measure audiences and "
    "show you personalised advertising. By clicking Accept all you agree to our use of cookies "
    "as described in our Cookie Policy."
)
WIRE_NEWSLETTER = (
    "Sign up for our newsletter",
    "Get the day's top wire stories delivered to your inbox every morning. "
    "No spam, unsubscribe at any time.",
)
WIRE_FOOTER = (
    "About Demo Wire",
    "Contact us",
    "Terms of Use",
    "Privacy Policy",
    "Cookie Policy",
    "Accessibility",
    "Careers",
)
COURIER_COOKIE = (
    "The Daily Courier and our partners store and access information on your device to deliver "
    "content, analyse traffic and tailor ads. You can change your choices at any time from the "
    "Privacy settings link at the bottom of every page."
)
COURIER_NEWSLETTER = (
    "Get the Courier Briefing",
    "Our editors pick the stories you need to know, every weekday at 7 a.m. Enter your email "
    "address to subscribe.",
)
SHARE_LABELS = ("Share on Facebook", "Share on X", "Share on LinkedIn", "Email", "Copy link")

# --------------------------------------------------------------------------- page templates
# Filled with str.format; every value is HTML-escaped by demosite before it goes in.

DOCUMENT = """<!DOCTYPE html>
<html lang="en">
<head>
{head}
</head>
<body class="{body_class}">
{body}
</body>
</html>
"""
ARTICLE_HEAD = """<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{canonical}">
<meta name="description" content="{description}">
<meta name="author" content="{authors}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{outlet}">
<meta property="og:url" content="{canonical}">
<meta property="og:title" content="{headline}">
<meta property="og:description" content="{description}">
<meta property="og:image" content="{image}">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{section}">
<script type="application/ld+json">
{json_ld}
</script>"""
FIGURE = """<figure class="photo"><img src="{image}" alt="" width="1200" height="800">\
<figcaption>{caption}</figcaption></figure>
<p>{caption}</p>"""
# No link inside the prompt: a link-only block makes trafilatura drop the whole prompt,
# and real pages print it as plain text that the cleaning stage must remove.
PAYWALL = """<div class="paywall-prompt">
<p><strong>{ask}</strong></p>
<p>{subscriber}</p>
<p><span class="login-link" role="link" data-target="/wire/login">{login}</span></p>
</div>"""
WIRE_CHROME = """<div class="cookie-banner" role="dialog"><p>{cookie}</p>\
<button type="button">Accept all</button> <button type="button">Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/wire/">Demo Wire</a>
<nav class="main-nav">{nav}</nav></header>
<main id="content">
{main}
</main>
<footer class="site-footer">
<nav>{footer}</nav>
<p>\u00a9 2026 Demo Wire. All rights reserved. All stories on this site are synthetic.</p>
</footer>"""
WIRE_ARTICLE = """<article class="story">
<header class="story-header">
<p class="kicker"><a href="/wire/section/{section_slug}">{section}</a></p>
<h1>{headline}</h1>
<div class="byline">{byline}</div>
<time datetime="{published}">{shown_time}</time>
<ul class="share-tools">{share}</ul>
</header>
<div class="article-body story-body">
{blocks}
</div>
</article>
<aside class="newsletter-box"><h2>{letter}</h2><p>{pitch}</p>\
<form method="post" action="/wire/newsletter"><input type="email" name="email" \
placeholder="Email address"><button type="submit">Sign up</button></form></aside>
<aside class="related-stories"><h2>Related stories</h2>
{related}
</aside>"""
COURIER_CHROME = """<div id="consent" class="consent-notice"><p>{cookie}</p>\
<button type="button">I agree</button> <button type="button">Reject optional</button></div>
<div class="masthead"><a class="brand" href="/courier/">Daily Courier</a>
<nav class="menu">{nav}</nav></div>
<div class="page-grid">
<main class="content-col">
{main}
<section class="cr-newsletter"><h3>{letter}</h3><p>{pitch}</p><form method="post" \
action="/courier/subscribe"><input type="email" name="address"><button type="submit">Subscribe\
</button></form></section>
</main>
<aside class="sidebar">
<h3>Most read</h3>
{most_read}
<div class="ad-slot">Advertisement</div>
</aside>
</div>
<footer class="cr-footer"><p>\u00a9 2026 Daily Courier Media Group. All rights reserved.</p>
<p>Privacy settings \u00b7 Terms and conditions \u00b7 Contact the newsroom</p></footer>"""
COURIER_ARTICLE = """<article class="cr-article">
<h1 class="cr-headline">{headline}</h1>
<div class="cr-byline">{byline}, {agency}</div>
<div class="cr-dates">Published <time datetime="{published}">{shown_time}</time></div>
<div class="cr-article-body">
{blocks}
</div>
</article>"""

# --------------------------------------------------------------------------- feed templates

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>{title}</title>
<link>{link}</link>
<description>Latest headlines from {title}</description>
<language>en</language>
{items}
</channel>
</rss>
"""
RSS_ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid isPermaLink="false">{guid}</guid>
<pubDate>{date}</pubDate>
<description>{description}</description>
<category>{section}</category>
</item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{title}</title>
<id>{link}</id>
<link rel="self" href="{link}"/>
<updated>{date}</updated>
{items}
</feed>
"""
ATOM_ENTRY = """<entry>
<title>{title}</title>
<link rel="alternate" href="{link}"/>
<id>{guid}</id>
<published>{date}</published>
<updated>{date}</updated>
<summary>{description}</summary>
<category term="{section}"/>
{authors}
</entry>"""

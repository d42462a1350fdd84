# ruff: noqa: E501 (records of prose: long lines read better than split sentences)
"""Record, as structured corrections, the fact sheet's "Corrections of 2026-12-04" that
changed what a published page said (the pages as published before the `truth` pass).

Each record names the page, what it said (quoted or closely summarised from the
published text), what it says now, and why (the re-check of the sources that produced
the fact sheet's corrections). Run once, after the truth pass is merged:

    python tools/corrections_2026_12_04.py

It appends a `corrections:` block at the end of each front matter (English file and its
Spanish translation), then brings each translation's `source_revision` up to date when
the translation was current before. Re-running it changes nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from somos_site.review import revision_hash as content_hash  # noqa: E402

DATE = "2026-12-04"
WHY_EN = "An independent re-check of the sources behind the site's fact sheet (its corrections of 4 December 2026)"
WHY_ES = "Una nueva verificación independiente de las fuentes de la ficha de datos del sitio (sus correcciones del 4 de diciembre de 2026)"

# (page, [(wrong, right, why) in English, (wrong, right, why) in Spanish], ...)
RECORDS: dict[str, list[tuple[tuple[str, str, str], tuple[str, str, str]]]] = {}


def add(page: str, en: tuple[str, str, str], es: tuple[str, str, str]) -> None:
    RECORDS.setdefault(page, []).append((en, es))


# 1. Héctor
add(
    "characters/hector",
    (
        "Descriptions of his job differ: he is called a beer transporter, a corrupt manager pressured by the DEA, "
        "and a cartel lieutenant in different reviews.",
        "Héctor is a cartel lieutenant who supplies the cartel's bosses with BlackBerrys and burner phones. "
        "The review that calls him a manager pressured by the DEA confuses him with Oscar's storyline.",
        f"{WHY_EN} found that LetsOTT's description belongs to another character.",
    ),
    (
        "Las descripciones de su oficio variaban: transportista de cerveza, gerente corrupto presionado por la DEA "
        "o lugarteniente del cártel, según la reseña.",
        "Héctor es un lugarteniente del cártel que provee a los jefes de BlackBerrys y teléfonos desechables. "
        "La reseña que lo llama gerente presionado por la DEA lo confunde con la historia de Oscar.",
        f"{WHY_ES} encontró que la descripción de LetsOTT corresponde a otro personaje.",
    ),
)
# 3. Silverio / Salvador Montenegro
for page in ("characters/silverio", "people/salvador-montenegro"):
    add(
        page,
        (
            "Salvador Montenegro also worked on the production as location manager and animal wrangler.",
            "Salvador Montenegro is a location manager by trade, from La Laguna, who was hired on *Somos.* "
            "as an animal wrangler before he was cast.",
            f"{WHY_EN}: El Siglo de Torreón gives location management as his profession, not his job on the series.",
        ),
        (
            "Salvador Montenegro también trabajó en la producción como gerente de locaciones y cuidador de animales.",
            "Salvador Montenegro es gerente de locaciones de oficio, originario de La Laguna, y fue contratado en "
            "*Somos.* para cuidar animales antes de ser elegido para el reparto.",
            f"{WHY_ES}: El Siglo de Torreón presenta las locaciones como su profesión, no como su trabajo en la serie.",
        ),
    )
# 4. El Diablo
EL_DIABLO_WHY_EN = f'{WHY_EN}: El Universal and The Review Geek name the character and make Oscar and "El Diablo" one'
EL_DIABLO_WHY_ES = f"{WHY_ES}: El Universal y The Review Geek dan su nombre y hacen de Oscar y «El Diablo» uno solo"
add(
    "characters/el-diablo",
    (
        "El Diablo is a Mexican-American distributor who moves drugs and money for the Zetas; whether he is the "
        "same fictional character as Oscar is not known.",
        '"El Diablo" is Oscar Vásquez, a Dallas-born cocaine distributor for the Zetas in Texas: Oscar and '
        '"El Diablo" are one character.',
        EL_DIABLO_WHY_EN + ".",
    ),
    (
        "El Diablo era un distribuidor mexicoestadounidense que mueve droga y dinero para Los Zetas; no se sabía si "
        "era el mismo personaje que Oscar.",
        "«El Diablo» es Oscar Vásquez, distribuidor de cocaína de Los Zetas en Texas nacido en Dallas: Oscar y "
        "«El Diablo» son un mismo personaje.",
        EL_DIABLO_WHY_ES + ".",
    ),
)
for page, who_en, who_es in (
    ("characters/el-diablo", "the actor", "el actor"),
    ("people/josue-guerra", "he", "él"),
):
    add(
        page,
        (
            f"According to Zero Magazine, {who_en} prepared by studying ProPublica's article and its podcast adaptation.",
            "That statement is withdrawn. According to El Universal, Josué Guerra has said the character is fiction "
            "and was not built from testimonies.",
            f"{WHY_EN} could not find the statement again.",
        ),
        (
            f"Según Zero Magazine, {who_es} se preparó estudiando el artículo de ProPublica y su adaptación en pódcast.",
            "Se retira esa afirmación. Según El Universal, Josué Guerra ha dicho que el personaje es ficción y que no "
            "se construyó a partir de testimonios.",
            f"{WHY_ES} no volvió a encontrar esa afirmación.",
        ),
    )
for page in ("claims/informant-passed-phone-pins", "people/jose-vasquez-jr"):
    add(
        page,
        (
            'The series has a Mexican-American distributor character, "El Diablo", and an informant, Oscar; '
            "whether they are the same character was not known.",
            'The informant of *Somos.* is Oscar Vásquez, "El Diablo", a Dallas-born Zetas distributor: one '
            "character, who mirrors José Vásquez Jr. only as a parallel.",
            EL_DIABLO_WHY_EN + ".",
        ),
        (
            "La serie tenía un distribuidor mexicoestadounidense, «El Diablo», y un informante, Oscar; no se sabía "
            "si eran el mismo personaje.",
            "El informante de *Somos.* es Oscar Vásquez, «El Diablo», distribuidor de Los Zetas nacido en Dallas: un "
            "solo personaje, que refleja a José Vásquez Jr. solo como paralelo.",
            EL_DIABLO_WHY_ES + ".",
        ),
    )
add(
    "pages/sources-and-method",
    (
        'Listed as not known: whether two minor characters, Oscar and "El Diablo", are the same character.',
        'They are one character, Oscar Vásquez, "El Diablo".',
        EL_DIABLO_WHY_EN + ".",
    ),
    (
        "Figuraba como desconocido si dos personajes secundarios, Oscar y «El Diablo», son el mismo personaje.",
        "Son un solo personaje, Oscar Vásquez, «El Diablo».",
        EL_DIABLO_WHY_ES + ".",
    ),
)
# 6. Episode 4
add(
    "episodes/4",
    (
        'The page called Oscar "the informant" in this episode.',
        "In this episode Oscar is not yet an informant; he becomes one later in the series.",
        f"{WHY_EN}: The Review Geek's recaps show when he turns informant.",
    ),
    (
        "La página llamaba a Oscar «el informante» en este episodio.",
        "En este episodio Oscar aún no es informante; lo será más adelante en la serie.",
        f"{WHY_ES}: los resúmenes de The Review Geek muestran cuándo se vuelve informante.",
    ),
)
# 7. The apology's date
add(
    "events/state-apology",
    (
        "In June 2019 a formal public apology took place in Allende's main plaza; only one report gave the day.",
        "The apology took place on Thursday 27 June 2019, as several outlets report.",
        f"{WHY_EN} found the day in Misión Política, AP and El Imparcial.",
    ),
    (
        "En junio de 2019 hubo una disculpa pública formal en la plaza principal de Allende; solo un medio daba el día.",
        "La disculpa fue el jueves 27 de junio de 2019, según varios medios.",
        f"{WHY_ES} encontró el día en Misión Política, AP y El Imparcial.",
    ),
)
# 8. The venue of the Treviños' US prosecution
VENUE_EN = (
    "Both brothers are being prosecuted in the US District Court for the District of Columbia, in Washington, D.C., "
    "before Judge Trevor McFadden; the New York mention reflects Z-40's separate New York indictment."
)
VENUE_ES = (
    "Ambos hermanos son procesados en el Tribunal de Distrito de Estados Unidos para el Distrito de Columbia, en "
    "Washington, D.C., ante el juez Trevor McFadden; la mención de Nueva York corresponde a otra acusación contra el Z-40."
)
VENUE_WHY_EN = f"{WHY_EN}: Saga Noticias, Cuarto Poder and Reforma settle the venue."
VENUE_WHY_ES = f"{WHY_ES}: Saga Noticias, Cuarto Poder y Reforma establecen la sede."
for page in (
    "events/trevino-transfer",
    "figures/warrants-and-convictions",
    "people/miguel-angel-trevino-morales",
    "people/oscar-omar-trevino-morales",
    "pages/sources-and-method",
):
    add(
        page,
        (
            "Where the Treviño brothers are being tried was reported differently: Washington, D.C., or New York.",
            VENUE_EN,
            VENUE_WHY_EN,
        ),
        (
            "Dónde se juzga a los hermanos Treviño se informaba de dos maneras: Washington, D.C., o Nueva York.",
            VENUE_ES,
            VENUE_WHY_ES,
        ),
    )
# 9. The National Security Archive's wording
for page in (
    "figures/death-toll",
    "claims/how-many-people-died",
    "organizations/national-security-archive",
    "people/michael-evans",
):
    add(
        page,
        (
            'The National Security Archive was quoted as giving "as many as 300" victims.',
            'The National Security Archive\'s wording is "an estimated 300".',
            f"{WHY_EN} checked the briefing book's own wording.",
        ),
        (
            "Se citaba al National Security Archive con «hasta 300» víctimas.",
            "La expresión del National Security Archive es «an estimated 300» («unas 300, según estimaciones»).",
            f"{WHY_ES} comprobó la expresión del propio informe.",
        ),
    )
# 10. Emergency calls
CALLS_EN = (
    "26 calls from Allende and 1,425 from Piedras Negras make 1,451, the total in Vanguardia's own headline; "
    'the "1,225" in the body of its article, copied by 24 Horas, appears to be a typo.'
)
CALLS_ES = (
    "Las 26 llamadas de Allende y las 1,425 de Piedras Negras suman 1,451, el total del propio titular de Vanguardia; "
    "el «1,225» del cuerpo de su nota, copiado por 24 Horas, parece una errata."
)
CALLS_WHY_EN = f"{WHY_EN} found Vanguardia's report, whose headline gives the total."
CALLS_WHY_ES = f"{WHY_ES} encontró la nota de Vanguardia, cuyo titular da el total."
for page in ("figures/emergency-calls", "claims/250-calls-in-one-day", "places/piedras-negras", "characters/irene"):
    add(
        page,
        (
            "The emergency-call counts were presented as disputed: 1,425 calls from Piedras Negras in the report's "
            "English text against 1,225 in a Spanish news summary.",
            CALLS_EN,
            CALLS_WHY_EN,
        ),
        (
            "Las cifras de llamadas de emergencia se presentaban como discrepantes: 1,425 de Piedras Negras en el texto "
            "en inglés del informe frente a 1,225 en un resumen periodístico en español.",
            CALLS_ES,
            CALLS_WHY_ES,
        ),
    )
# 11. El Canelo's sentence
for page in (
    "events/el-canelo-sentenced",
    "people/german-zaragoza-sanchez",
    "claims/anyone-convicted-of-murder",
    "figures/warrants-and-convictions",
):
    add(
        page,
        (
            "El Canelo's sentence was reported as 80 or 75 years.",
            "El Canelo was sentenced to 80 years for aggravated kidnapping; the 75 years went to his co-defendant, "
            'Fernando Hernández Reyes, "El Panone".',
            f"{WHY_EN}: Milenio and El Universal (2016) give both sentences; La Jornada's 2019 figure confuses the two.",
        ),
        (
            "La condena de El Canelo se daba como de 80 o de 75 años.",
            "El Canelo fue condenado a 80 años por secuestro agravado; los 75 años fueron para su coacusado, "
            "Fernando Hernández Reyes, «El Panone».",
            f"{WHY_ES}: Milenio y El Universal (2016) dan ambas condenas; la cifra de La Jornada de 2019 confunde las dos.",
        ),
    )
# 12. The Guardian's reviewer
add(
    "series/somos",
    (
        "Listed as not found: the names of The Hollywood Reporter's and The Guardian's reviewers.",
        "According to PureWow, The Guardian's reviewer was Jack Seale; The Hollywood Reporter's reviewer is still "
        "not known.",
        f"{WHY_EN} found the name in PureWow.",
    ),
    (
        "Figuraban como no encontrados los nombres de los críticos de The Hollywood Reporter y de The Guardian.",
        "Según PureWow, el crítico de The Guardian fue Jack Seale; el de The Hollywood Reporter sigue sin conocerse.",
        f"{WHY_ES} encontró el nombre en PureWow.",
    ),
)
# 13. The ProPublica story's award
for page in ("people/ginger-thompson", "pages/sources-and-method"):
    add(
        page,
        (
            "Which award, if any, the ProPublica story won was given as not known.",
            "The judges of the National Magazine Awards (the Ellies) praised the story; whether it won or was a "
            "finalist is not established.",
            f"{WHY_EN} found the Ellie judges' praise in an awards anthology.",
        ),
        (
            "Se decía que no se sabía qué premio, si alguno, ganó el reportaje de ProPublica.",
            "El jurado de los National Magazine Awards (los Ellies) elogió el reportaje; no está establecido si ganó "
            "o fue finalista.",
            f"{WHY_ES} encontró el elogio del jurado en una antología de los premios.",
        ),
    )
# 14. Schamus's word for the title's full stop
for page in ("series/somos", "people/james-schamus"):
    add(
        page,
        (
            "Schamus was said to want the full stop so that the word *somos* reads as a statement rather than a label.",
            'In Schamus\'s words, the full stop makes the title read "as an assertion, and not just a title".',
            f"{WHY_EN}: Looper and The Savvy Screener give his own words.",
        ),
        (
            "Se decía que Schamus quería el punto para que la palabra *somos* se leyera como una declaración y no "
            "como una etiqueta.",
            "En palabras de Schamus, el punto hace que el título se lea «como una afirmación, y no solo como un "
            "título».",
            f"{WHY_ES}: Looper y The Savvy Screener dan sus propias palabras.",
        ),
    )

# Pages the truth pass corrected for reasons of its own consistency review, with the
# wording of its correction notes.
CONSISTENCY_EN = "A review of the site against its fact sheet on 4 December 2026"
CONSISTENCY_ES = "Una revisión del sitio contra su ficha de datos el 4 de diciembre de 2026"
add(
    "characters/benjamin",
    (
        "Decider's description of Benjamín as Héctor's younger brother was treated as one of several versions.",
        "It is an error: Benjamín is the son of the ranchers Isidro and Sandra Linares; Héctor's brother is Gilberto.",
        f"{WHY_EN} found 24 Horas's account of his family.",
    ),
    (
        "La descripción de Decider de Benjamín como hermano menor de Héctor se trataba como una de varias versiones.",
        "Es un error: Benjamín es hijo de los rancheros Isidro y Sandra Linares; el hermano de Héctor es Gilberto.",
        f"{WHY_ES} encontró el relato de 24 Horas sobre su familia.",
    ),
)
add(
    "events/allende-massacre",
    (
        'The range of counts was given as "from the official 28 to about 300".',
        "The lowest published count is 26, as every other page of the site says.",
        f"{CONSISTENCY_EN} found the page at odds with the figure of the death toll.",
    ),
    (
        "El rango de cifras se daba como «desde los 28 oficiales hasta unas 300».",
        "La cifra publicada más baja es 26, como dicen las demás páginas del sitio.",
        f"{CONSISTENCY_ES} encontró la página en desacuerdo con la cifra de muertos.",
    ),
)
add(
    "events/cndh-recommendation",
    (
        "The public apologies of 2019 were said to comply with the recommendation.",
        "Only the State's apology of 27 June 2019 is sourced as complying with it.",
        f"{CONSISTENCY_EN} found no source for the other apology's compliance.",
    ),
    (
        "Se decía que las disculpas públicas de 2019 cumplían con la recomendación.",
        "Solo la disculpa del Estado del 27 de junio de 2019 tiene fuente que la presente como cumplimiento.",
        f"{CONSISTENCY_ES} no encontró fuente para el cumplimiento de la otra disculpa.",
    ),
)
add(
    "events/first-apology",
    (
        "Allende's mayor was named as a participant.",
        "The mayor who gave this apology is not named, because its source does not name him.",
        f"{CONSISTENCY_EN} found that the cited source does not name the mayor.",
    ),
    (
        "Se nombraba al alcalde de Allende como participante.",
        "No se nombra al alcalde que dio esta disculpa, porque su fuente no lo nombra.",
        f"{CONSISTENCY_ES} encontró que la fuente citada no nombra al alcalde.",
    ),
)
add(
    "events/san-antonio-trial",
    (
        'The witness\'s "more than 300" was given without its scope.',
        "The testimony was about Allende and nearby towns; the page also gives his sentence, as reported by SinEmbargo.",
        f"{CONSISTENCY_EN} restored the scope the sources give.",
    ),
    (
        "El «más de 300» del testigo se daba sin su alcance.",
        "El testimonio se refería a Allende y a los pueblos cercanos; la página da además su condena, según SinEmbargo.",
        f"{CONSISTENCY_ES} restituyó el alcance que dan las fuentes.",
    ),
)
add(
    "organizations/mexican-federal-police-unit",
    (
        "The summary stated as fact that the information leaked from this unit.",
        "The summary attributes that account to ProPublica, as the page does.",
        f"{CONSISTENCY_EN}: a single-source account is attributed to its source.",
    ),
    (
        "El resumen afirmaba como un hecho que la información se filtró desde esta unidad.",
        "El resumen atribuye ese relato a ProPublica, como la página.",
        f"{CONSISTENCY_ES}: un relato de una sola fuente se atribuye a esa fuente.",
    ),
)
add(
    "people/marciano-millan-vazquez",
    (
        "The sources were said not to give his sentence.",
        "SinEmbargo reported in June 2017 that he had been sentenced to seven life terms.",
        f"{WHY_EN} found SinEmbargo's report.",
    ),
    (
        "Se decía que las fuentes no daban su condena.",
        "SinEmbargo informó en junio de 2017 que había sido condenado a siete cadenas perpetuas.",
        f"{WHY_ES} encontró la nota de SinEmbargo.",
    ),
)
add(
    "sources/jornada-2016",
    (
        'The record\'s summary said "28 dead", a contested number stated as fact.',
        "Source summaries no longer state contested numbers; the official count is 28 kidnapped (11 killed, 17 missing).",
        f"{CONSISTENCY_EN}: a contested number is never stated as one truth.",
    ),
    (
        "El resumen del registro decía «28 muertos», una cifra disputada presentada como un hecho.",
        "Los resúmenes de fuentes ya no dan cifras disputadas; la cifra oficial es de 28 secuestrados (11 muertos, 17 desaparecidos).",
        f"{CONSISTENCY_ES}: una cifra disputada nunca se presenta como verdad única.",
    ),
)

# The second reading of the site (the audit pass), with the wording of its notes.
SECOND_EN = "A second reading of the site against its sources on 4 December 2026"
SECOND_ES = "Una segunda lectura del sitio contra sus fuentes el 4 de diciembre de 2026"
add(
    "pages/sources-and-method",
    (
        "The exact date of the State's 2019 apology was listed as unknown.",
        "It is known: Thursday 27 June 2019, as several outlets report.",
        f"{WHY_EN} found the day in Misión Política, AP and El Imparcial.",
    ),
    (
        "La fecha exacta de la disculpa del Estado de 2019 figuraba como desconocida.",
        "Se conoce: el jueves 27 de junio de 2019, según varios medios.",
        f"{WHY_ES} encontró el día en Misión Política, AP y El Imparcial.",
    ),
)
add(
    "claims/massacre-lasted-three-days",
    (
        "The dispute over the dates was said to be one reason the death tolls differ so much.",
        "The page gives the periods the counts cover; no source says the dispute over dates explains the difference.",
        f"{SECOND_EN}: no source supports the explanation.",
    ),
    (
        "Se decía que el desacuerdo sobre las fechas es una de las razones por las que las cifras de muertos difieren tanto.",
        "La página indica los periodos que abarcan los conteos; ninguna fuente dice que el desacuerdo sobre las fechas explique la diferencia.",
        f"{SECOND_ES}: ninguna fuente respalda esa explicación.",
    ),
)
add(
    "people/jose-angel-herrera",
    (
        "He was said to have told La Jornada that the suspected traitors had become protected witnesses.",
        "La Jornada attributes that statement to the state prosecutor's office.",
        f"{SECOND_EN}: the attribution follows La Jornada.",
    ),
    (
        "Se decía que él le dijo a La Jornada que los presuntos traidores se habían convertido en testigos protegidos.",
        "La Jornada atribuye esa afirmación a la fiscalía estatal.",
        f"{SECOND_ES}: la atribución sigue a La Jornada.",
    ),
)
add(
    "places/eagle-pass",
    (
        "The summary called Eagle Pass the nearest US crossing to Allende.",
        "The summary no longer says so.",
        f"{SECOND_EN}: no source used by this site says so.",
    ),
    (
        "El resumen llamaba a Eagle Pass el cruce estadounidense más cercano a Allende.",
        "El resumen ya no lo dice.",
        f"{SECOND_ES}: ninguna fuente que usa este sitio lo dice.",
    ),
)
add(
    "sources/bulletnews-2021",
    (
        "This record repeated the name this source gives for the actor who plays Anselmo.",
        "The record no longer repeats it: no other source confirms the name, and the site does not publish it.",
        f"{SECOND_EN}: an unconfirmed name is not published.",
    ),
    (
        "Este registro repetía el nombre que esta fuente da al actor que interpreta a Anselmo.",
        "El registro ya no lo repite: ninguna otra fuente confirma el nombre, y el sitio no lo publica.",
        f"{SECOND_ES}: un nombre sin confirmar no se publica.",
    ),
)


def yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(items: list[tuple[str, str, str]]) -> str:
    lines = ["corrections:"]
    for wrong, right, why in items:
        lines += [
            f"  - date: {DATE}",
            f"    wrong: {yaml_text(wrong)}",
            f"    right: {yaml_text(right)}",
            f"    why: {yaml_text(why)}",
        ]
    return "\n".join(lines) + "\n"


CORRECTIONS_BLOCK = re.compile(r"^corrections:[^\n]*\n(?:[ \t]+[^\n]*\n)*", re.M)


def append_to_front_matter(path: Path, text: str) -> bool:
    """Write the structured block: in place of a prose (`text:`) block another pass left,
    or at the end of the front matter. A structured block already there is kept."""
    current = path.read_text(encoding="utf-8")
    end = current.index("\n---", 3)
    head, rest = current[: end + 1], current[end + 1 :]
    found = CORRECTIONS_BLOCK.search(head)
    if found and found.group(0) == text:
        return False  # already recorded
    head = head[: found.start()] + text + head[found.end() :] if found else head + text
    path.write_text(head + rest, encoding="utf-8")
    return True


def main() -> int:
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    for page, pairs in sorted(RECORDS.items()):
        original = content / f"{page}.md"
        translation = content / f"{page}.es.md"
        before = content_hash(original.read_text(encoding="utf-8"))
        changed = append_to_front_matter(original, block([en for en, _ in pairs]))
        if translation.exists():
            append_to_front_matter(translation, block([es for _, es in pairs]))
            if changed:  # the translation followed the original before: it still does
                text = translation.read_text(encoding="utf-8")
                after = content_hash(original.read_text(encoding="utf-8"))
                text = re.sub(rf'^source_revision: "?{before}"?$', f"source_revision: {after}", text, flags=re.M)
                translation.write_text(text, encoding="utf-8")
        print(("recorded " if changed else "already recorded ") + page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

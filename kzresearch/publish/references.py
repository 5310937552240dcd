"""The works the reports cite, each stated once: full citations by key, and the reference list of a report.

A report declares the keys it cites (``REFERENCES`` in its analysis module) and glues its list,
``glue("references", Markdown(reference_list(REFERENCES)), display=False)``, under "References".

>>> print(reference_list(["gallagher1991", "loosemore1971"]))
- Gallagher, M. (1991). Proportionality, disproportionality and electoral systems. *Electoral Studies* 10(1): 33-51.
- Loosemore, J. & Hanby, V. J. (1971). The theoretical limits of maximum distortion: some analytic expressions for electoral systems. *British Journal of Political Science* 1(4): 467-477.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Full citations, by key (author + year), in Markdown.
REFERENCES: dict[str, str] = {
    "article": "Turkish Wikipedia contributors (2026). 2021 Kazakistan parlamento seçimleri [2021 Kazakhstan "
    "parliamentary election]. *Vikipedi*, snapshot retrieved 25 November 2026, "
    "<https://tr.wikipedia.org/wiki/2021_Kazakistan_parlamento_se%C3%A7imleri>, CC BY-SA 4.0 "
    "(`data/raw/tr-wikipedia-2021-kazakhstan-legislative-election.txt`; cited by line).",
    "cec_protocol": "Central Election Commission of the Republic of Kazakhstan (2021). Final protocol on the "
    "results of the election of deputies of the Mazhilis, 12 January 2021 (`data/raw/cec-final-protocol-2021.csv`).",
    "cec_turnout": "Central Election Commission of the Republic of Kazakhstan. Regional turnout announcements: "
    "10 January 2021 (through election day), 15 January 2012 (preliminary, 20:00) and 19 March 2023 (final), as "
    "reported by zakon.kz, exclusive.kz, bestnews.kz, turantimes.kz and inform.kz "
    "(`data/raw/regional-turnout-cec.csv`).",
    "odihr2020": "OSCE Office for Democratic Institutions and Human Rights (2020). ODIHR opens limited election "
    "observation mission in Kazakhstan. Press release, 8 December 2020, www.osce.org (cited by the article, "
    "reference 101).",
    "election_law": 'Constitutional Law of the Republic of Kazakhstan of 28 September 1995 No. 2464 "On '
    'Elections in the Republic of Kazakhstan", as amended, Art. 97-1 (distribution of deputy mandates); English '
    "translation in VOTA, the electoral thesaurus of the Electoral Tribunal of the Federal Judicial Branch of "
    "Mexico (TEPJF), which gives the runner-up clause's correction index of 0.7.",
    "ipu_parline": "Inter-Parliamentary Union. Parline database: Kazakhstan, Mazhilis (House of "
    "Representatives), electoral system (a list with the second most votes receives at least two seats).",
    "mosteller1949": "Mosteller, F., Hyman, H., McCarthy, P. J., Marks, E. S. & Truman, D. B. (1949). *The "
    "Pre-Election Polls of 1948*. New York: Social Science Research Council, Bulletin 60.",
    "martin2005": "Martin, E. A., Traugott, M. W. & Kennedy, C. (2005). A review and proposal for a new measure "
    "of poll accuracy. *Public Opinion Quarterly* 69(3): 342-369.",
    "arzheimer2014": "Arzheimer, K. & Evans, J. (2014). A new multinomial accuracy measure for polling bias. "
    "*Political Analysis* 22(1): 31-44.",
    "gallagher1991": "Gallagher, M. (1991). Proportionality, disproportionality and electoral systems. "
    "*Electoral Studies* 10(1): 33-51.",
    "loosemore1971": "Loosemore, J. & Hanby, V. J. (1971). The theoretical limits of maximum distortion: some "
    "analytic expressions for electoral systems. *British Journal of Political Science* 1(4): 467-477.",
    "laakso1979": 'Laakso, M. & Taagepera, R. (1979). "Effective" number of parties: a measure with '
    "application to West Europe. *Comparative Political Studies* 12(1): 3-27.",
    "robinson1950": "Robinson, W. S. (1950). Ecological correlations and the behavior of individuals. "
    "*American Sociological Review* 15(3): 351-357.",
    "klimek2012": "Klimek, P., Yegorov, Y., Hanel, R. & Thurner, S. (2012). Statistical detection of "
    "systematic election irregularities. *PNAS* 109(41): 16469-16473.",
    "beber2012": "Beber, B. & Scacco, A. (2012). What the numbers say: a digit-based test for election fraud. "
    "*Political Analysis* 20(2): 211-234.",
    "mebane2006": "Mebane, W. R. (2006). Election forensics: vote counts and Benford's law. Paper presented at "
    "the Summer Meeting of the Political Methodology Society, Davis, CA.",
    "phipson2010": "Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical "
    "Applications in Genetics and Molecular Biology* 9(1): 39.",
    "holm1979": "Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian "
    "Journal of Statistics* 6(2): 65-70.",
    "benjamini1995": "Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of "
    "the Royal Statistical Society B* 57(1): 289-300.",
    "mackinnon1985": "MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix "
    "estimators with improved finite sample properties. *Journal of Econometrics* 29(3): 305-325.",
    "huber1981": "Huber, P. J. (1981). *Robust Statistics*. New York: Wiley.",
    "belsley1980": "Belsley, D. A., Kuh, E. & Welsch, R. E. (1980). *Regression Diagnostics*. New York: Wiley.",
    "cohen1988": "Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed. "
    "Hillsdale, NJ: Erlbaum.",
    "odihr2007": "OSCE Office for Democratic Institutions and Human Rights (2007). Republic of Kazakhstan, "
    "Parliamentary Elections, 18 August 2007: OSCE/ODIHR Election Observation Mission Report. Warsaw, "
    "30 October 2007.",
    "balinski1982": "Balinski, M. L. & Young, H. P. (1982). *Fair Representation: Meeting the Ideal of One Man, "
    "One Vote*. New Haven: Yale University Press.",
    "bollen1990": "Bollen, K. A. & Jackman, R. W. (1990). Regression diagnostics: an expository treatment of "
    "outliers and influential cases. In J. Fox & J. S. Long (eds), *Modern Methods of Data Analysis*, 257-291. "
    "Newbury Park, CA: Sage.",
    "benjamini2001": "Benjamini, Y. & Yekutieli, D. (2001). The control of the false discovery rate in multiple "
    "testing under dependency. *Annals of Statistics* 29(4): 1165-1188.",
    "deckert2011": "Deckert, J., Myagkov, M. & Ordeshook, P. C. (2011). Benford's law and the detection of "
    "election fraud. *Political Analysis* 19(3): 245-268.",
    "fisher1915": "Fisher, R. A. (1915). Frequency distribution of the values of the correlation coefficient in "
    "samples from an indefinitely large population. *Biometrika* 10(4): 507-521.",
    "kendall1945": "Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika* 33(3): 239-251.",
    "okabe2008": "Okabe, M. & Ito, K. (2008). Color universal design (CUD): how to make figures and "
    "presentations that are friendly to colorblind people. J*Fly, <https://jfly.uni-koeln.de/color/>.",
}


def reference_list(keys: Iterable[str]) -> str:
    """The citations of ``keys`` as a Markdown bullet list, in alphabetical order of the citation."""
    keys = list(dict.fromkeys(keys))
    unknown = [k for k in keys if k not in REFERENCES]
    if unknown:
        raise ValueError(f"unknown reference(s) {unknown}; the keys are: {', '.join(REFERENCES)}")
    return "\n".join(f"- {REFERENCES[k]}" for k in sorted(keys, key=lambda k: REFERENCES[k].lower()))

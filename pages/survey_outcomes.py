"""Survey outcomes for analysts: what changed from before to after, and how sure are we?"""

import pandas as pd
import streamlit as st

from pages import charts, ui
from pages.access import require_page
from warehouse import read, stats
from warehouse.privacy import min_group, suppress

require_page(__file__)  # who may open it: warehouse/access.py
st.title("What changed in the surveys?")
st.write(
    "Per construct, matched respondents only (people who answered both waves). Retrospective pre ('then-test', "
    "asked after the program) is a comparison of its own (choose it below), never merged with the real pre: it "
    "corrects for response-shift bias."
)

source, filters = ui.source(), ui.filters()
ui.require("survey_items", "survey_responses")
LABELS = {"n": "n", "mean_pre": "Mean before", "mean_post": "Mean after", "mean_change": "Change",
          "ci": "95% CI of change", "t_p": "Paired t p", "wilcoxon_p": "Wilcoxon p", "bh_p": "BH-adjusted p",
          "d_z": "d_z", "g_av": "g_av"}  # fmt: skip
LABELS_P = ("t_p", "wilcoxon_p", "bh_p")
EXPORT_LABELS = {"mean_change": "Change (after - before)", "ci_low": "95% CI low", "ci_high": "95% CI high"}
SURVEY_METHOD = (
    "Construct score = mean of a person's items (reverse-coded items flipped); change = after - before over people "
    "who answered both waves. Paired t-test with 95% t-interval; Wilcoxon signed-rank (zero_method wilcox); "
    "Benjamini-Hochberg adjusted across the constructs shown; d_z = mean change / SD of changes; g_av (Lakens 2013). "
    "Constructs with fewer than {minimum} respondents are hidden."
)


def outcome_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Per construct, the change's statistics from the frequency table of score pairs."""
    rows = []
    for construct, group in scores.groupby("construct"):
        pre, post = (read.repeated(group, wave, "people") for wave in ("before", "after"))
        result = stats.paired_change(pre, post).as_dict()
        # constructs may use different scales (1-5, 1-7): their means are read against their own
        scale = f"{group['scale_min'].iloc[0]:g} to {group['scale_max'].iloc[0]:g}"
        rows.append({"construct": construct, "scale": scale, **result})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    # constructs do not add up to a total: no complementary suppression needed
    table = suppress(table, "n", [c for c in table.columns if c not in ("construct", "scale", "n")], partition=False)
    table["bh_p"] = stats.bh_adjust(table["t_p"])  # after hiding: hidden constructs are not in the family
    return table


def show(table: pd.DataFrame, before: str) -> pd.DataFrame:
    view = pd.DataFrame({"Construct": table["construct"].str.replace("_", " ").str.capitalize(),
                         "Scale": table["scale"], "n": table["n"]})  # fmt: skip
    for column in ("mean_pre", "mean_post"):
        view[LABELS[column]] = table[column].map(ui.number)
    if before == "retro_pre":  # says which "before" the table holds
        view = view.rename(columns={LABELS["mean_pre"]: "Mean before (retrospective)"})
    view["Change"] = table["mean_change"].map(ui.signed)
    view["95% CI of change"] = [
        f"{ui.number(lo)} to {ui.number(hi)}" for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
    ]
    for column in ("t_p", "wilcoxon_p", "bh_p"):
        view[LABELS[column]] = table[column].map(ui.p_value)
    for column in ("d_z", "g_av"):
        view[LABELS[column]] = table[column].map(ui.number)
    view.loc[table["suppressed"], view.columns[3:]] = "hidden"
    return view


comparison = st.radio("Compare", ["Pre to post", "Retrospective pre to post"], horizontal=True, key="survey_wave")
before = "pre" if comparison == "Pre to post" else "retro_pre"
scores, answers = read.survey_outcomes(source, filters, before)  # per score pair, and per item answer, the people
table = outcome_table(scores)
if table.empty and not read.has_survey_answers(source, filters, "post"):
    st.info(f"No one had answered the post survey by {ui.as_of():%d %B %Y}: a change needs answers before and after.")
elif table.empty:
    st.info(
        "No matched respondents to show for this comparison and these filters: answers enter the figures in groups "
        f"of at least {min_group()} people of one cohort and level, so that no one can be singled out."
        + (" A group shows from the retrospective pre only when its people are those of pre to post, or differ from "
           f"them by {min_group()} or more." if before == "retro_pre" else "")
    )  # fmt: skip
else:
    view = show(table, before)
    ui.plain_table(view)  # a plain table wraps: all twelve columns fit on the screen
    ui.caption(
        f"Construct scores, {comparison.lower()}",
        f"n = matched respondents per construct ({int(table['n'].sum()):,} person-constructs)",
        "Paired t-test with 95% t-interval; Wilcoxon signed-rank (zero_method wilcox); BH-adjusted across the "
        f"constructs shown; d_z = mean change / SD of changes; g_av (Lakens 2013). Constructs with fewer than "
        f"{min_group()} respondents are hidden.",
    )
    export = pd.DataFrame({"Construct": view["Construct"], "Scale": table["scale"], "n": table["n"].astype("Int64")})
    for column in ("mean_pre", "mean_post", "mean_change", "ci_low", "ci_high", *LABELS_P, "d_z", "g_av"):
        export[EXPORT_LABELS.get(column, LABELS.get(column))] = table[column].astype("float64")
    export["Not shown because"] = table["suppressed"].map({True: f"hidden (n < {min_group()})", False: ""})
    ui.downloads(
        export, f"survey-{before}-post",
        ui.export_metadata(
            f"Survey outcomes, {comparison.lower()}", SURVEY_METHOD.format(minimum=min_group()),
            waves=f"{before.replace('_', ' ')} and post, matched respondents only",
        ),
        formats=dict.fromkeys([LABELS[c] for c in LABELS_P], "0.000"),
    )  # fmt: skip

st.subheader("Answers per item, before and after")
wave_names = {before: "before", "post": "after"}
bands = []
for (_, wave), group in answers.groupby(["item_id", "wave"], sort=False):
    first = group.iloc[0]
    if group["answers"].sum() < min_group():
        continue
    low, high = first["scale_min"], first["scale_max"]
    shares = stats.likert_shares(group["value"].repeat(group["answers"]), low, high)
    flipped = " (reverse-coded, flipped)" if first["reverse_coded"] else ""
    question = f"{first['item_text']}{flipped}"
    label = f"{question} - {wave_names[wave]}"  # a dash: questions end in their own punctuation
    halves = [("neutral", -0.5), ("neutral", 0.5), ("somewhat_unfavourable", -1), ("unfavourable", -1),
              ("somewhat_favourable", 1), ("favourable", 1)]  # fmt: skip
    for band, sign in halves:
        bands.append({"row_label": label, "band": band.replace("_", " ").capitalize(), "share": sign * shares[band],
                      "item_text": question, "wave": wave_names[wave], "favourable": shares["favourable"],
                      "n": int(group["answers"].sum())})  # fmt: skip
bands = pd.DataFrame(bands)
if bands.empty:
    st.info(f"No item has answers from {min_group()} matched respondents or more in these filters.")
else:
    ui.chart(charts.diverging_likert(bands, "Answers per item: before and after"))
    ui.caption(
        "Share of answers per item and wave of the matched respondents, over the cohort and level groups in which "
        "each answered every item of the construct (the others' answers would tell a skipped item; n per item and "
        "wave below)",
        f"{int(answers['answers'].sum()):,} answers of the respondents in the table above",
        "Reverse-coded items are flipped, so favourable always means the good direction: favourable = top two "
        "points of the item's scale, unfavourable = bottom two, neutral = the middle point.",
    )
    favourable = bands.drop_duplicates("row_label")[["item_text", "wave", "favourable", "n"]]
    favourable["favourable"] = favourable["favourable"].map(ui.percent)
    ui.plain_table(  # wraps: every question read whole, none behind a scroll bar
        favourable.rename(columns={"item_text": "Question", "wave": "Wave", "favourable": "% favourable",
                                   "n": "Respondents"})
    )  # fmt: skip

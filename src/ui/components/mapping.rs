//! The mapping step (导入设置): the first rows of the file, what each column was taken for and how
//! sure the guess is, and every decision (encoding, delimiter, header, decimal, date order) open
//! to change before (or after) the import.

use leptos::ev;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use crate::display::{clip, column_from_input, shown_columns, CELL_CHARS};
use crate::engine::dimensions::AttributeKind;
use crate::engine::dimensions::{LineKind, LINE_LIMIT};
use crate::engine::ingest::columns::{GuessSource, Role};
use crate::engine::ingest::dialect::{Delimiter, Quotes};
use crate::engine::ingest::encoding::{EncodingEvidence, OFFERED_ENCODINGS};
use crate::engine::ingest::values::{DateOrder, DateOrderEvidence, DecimalSeparator};
use crate::engine::ingest::{InspectOptions, SummaryMapping, SummaryRole, TableSource};
use crate::i18n::line_kind_text;
use crate::i18n::Lang;
use crate::i18n::{
    attribute_kind_text, column_title, columns_shown_text, concern_text, role_text,
    skipped_columns_text, summary_role_text, title_skipped_text, Text,
};
use crate::mapping_edit::{
    column_attribute, set_column_attribute, set_column_role, set_column_summary_role,
    set_role_column,
};
use crate::mapping_edit::{column_line, lines_not_kept, set_column_line};
use crate::present::overview::delimiter_text;
use crate::ui::components::user_text::UserText;
use crate::ui::controller::Controller;
use crate::ui::state::{AppState, Job};

fn evidence_text(evidence: EncodingEvidence) -> Text {
    match evidence {
        EncodingEvidence::ByteOrderMark => Text::EvidenceBom,
        EncodingEvidence::NulPattern => Text::EvidenceNul,
        EncodingEvidence::ValidUtf8 => Text::EvidenceUtf8,
        EncodingEvidence::DetectorConfident => Text::EvidenceConfident,
        EncodingEvidence::DetectorUnsure => Text::EvidenceUnsure,
        EncodingEvidence::UserChoice => Text::EvidenceUser,
    }
}

/// The role selects of a per-customer summary's columns (issue 17), one per shown column.
fn summary_role_cells(
    state: AppState,
    columns: &[usize],
    summary: &SummaryMapping,
    headers: &[String],
    lang: Lang,
) -> impl IntoView {
    columns
        .iter()
        .map(|&column| {
            let current = SummaryRole::ALL.into_iter().find(|&r| summary.get(r) == Some(column));
            let role_label = format!(
                "{} · {} {} · {}",
                Text::ColumnRole.get(lang),
                Text::ColumnNumber.get(lang),
                column + 1,
                clip(&column_title(headers.get(column).map(String::as_str).unwrap_or(""), column, lang), CELL_CHARS).shown
            );
            let on_role = move |event: ev::Event| {
                let value = event_target::<HtmlSelectElement>(&event).value();
                let role = SummaryRole::ALL.into_iter().find(|r| r.as_str() == value);
                state.preview.update(|p| {
                    if let Some(p) = p {
                        set_column_summary_role(p, column, role);
                    }
                });
            };
            view! {
                <th class="vl-mapping__role" scope="col">
                    <select class="vl-select" data-role-column=column.to_string() aria-label=role_label on:change=on_role>
                        <option value="" selected=current.is_none()>{Text::RoleNone.get(lang)}</option>
                        {SummaryRole::ALL
                            .into_iter()
                            .map(|role| {
                                let name = summary_role_text(role).get(lang);
                                let label = match role.is_required() {
                                    true => format!("{name} ({})", Text::Required.get(lang)),
                                    false => name.to_string(),
                                };
                                view! { <option value=role.as_str() selected=current == Some(role)>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </th>
            }
        })
        .collect_view()
}

/// The import settings panel; open by itself when the guess needs the user.
#[component]
pub fn MappingPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let controller = expect_context::<Controller>();
    let needs_user = move || matches!(state.job.get(), Job::Mapping { .. });

    let reinspect = move |change: &dyn Fn(&mut InspectOptions)| {
        let Some(preview) = state.preview.get_untracked() else {
            return;
        };
        let mut options = InspectOptions {
            encoding: Some(preview.encoding.name.clone()),
            delimiter: Some(preview.delimiter),
            has_header: Some(preview.has_header),
            quotes: preview.quotes,
            ..Default::default()
        };
        change(&mut options);
        controller.reinspect(options);
    };

    let on_encoding = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        reinspect(&|o| o.encoding = Some(value.clone()));
    };
    let on_delimiter = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        reinspect(&|o| o.delimiter = Delimiter::from_name(&value));
    };
    let on_quotes = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        reinspect(&|o| {
            o.quotes = match value.as_str() {
                "literal" => Quotes::Literal,
                _ => Quotes::Standard,
            }
        });
    };
    let on_sheet = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        reinspect(&|o| o.sheet = Some(value.clone()));
    };
    let on_header = move |event: ev::Event| {
        let checked = event_target::<HtmlInputElement>(&event).checked();
        reinspect(&|o| o.has_header = Some(checked));
    };
    let on_decimal = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        state.preview.update(|p| {
            if let Some(p) = p {
                p.decimal = if value == "comma" {
                    DecimalSeparator::Comma
                } else {
                    DecimalSeparator::Point
                };
            }
        });
    };
    let on_date_order = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        state.preview.update(|p| {
            if let Some(p) = p {
                p.date_order = if value == "month-first" {
                    DateOrder::MonthFirst
                } else {
                    DateOrder::DayFirst
                };
                // The user has decided: the ambiguity is resolved.
                if p.date_evidence == DateOrderEvidence::Ambiguous {
                    p.date_evidence = match p.date_order {
                        DateOrder::DayFirst => DateOrderEvidence::DayFirst,
                        DateOrder::MonthFirst => DateOrderEvidence::MonthFirst,
                    };
                }
            }
        });
    };
    let on_layout = move |event: ev::Event| {
        let value = event_target::<HtmlSelectElement>(&event).value();
        state.preview.update(|p| {
            if let Some(p) = p {
                p.set_summary(value == "summary");
            }
        });
    };
    let import = move |_| {
        if let Some(preview) = state.preview.get_untracked() {
            controller.import(preview.settings());
        }
    };

    move || {
        let lang = state.lang.get();
        let preview = state.preview.get()?;
        let open = needs_user();
        let busy = state.job.get().is_busy();
        let concerns = preview.concerns();
        let detected = preview.encoding.name.clone();
        let mut encodings: Vec<String> = OFFERED_ENCODINGS.iter().map(|s| s.to_string()).collect();
        if !encodings.iter().any(|e| e.eq_ignore_ascii_case(&detected)) {
            encodings.insert(0, detected.clone());
        }
        let column_count = preview.headers.len();
        let ambiguous_dates = matches!(
            preview.date_evidence,
            DateOrderEvidence::Ambiguous | DateOrderEvidence::Conflicting
        );
        let runaway = preview.runaway_quote.is_some();
        // A table file (Excel, Parquet): no encoding or dialect to choose; its format, its
        // sheet (when the workbook has several) and any title rows skipped above its header.
        let table = !preview.source.is_text();
        let format = match &preview.source {
            TableSource::Text => Text::FormatText,
            TableSource::Xlsx { .. } => Text::FormatExcel,
            TableSource::Parquet => Text::FormatParquet,
        };
        let layout = preview.layout.clone().unwrap_or_default();
        let title_note = layout
            .skipped_title
            .as_deref()
            .map(|range| view! { <p class="vl-mapping__hint" data-title-skipped=range.to_string()>{title_skipped_text(range, lang)}</p> });
        // Issue 17: the nested Parquet columns not read, named.
        let skipped_note = (!layout.skipped_columns.is_empty()).then(|| {
            view! { <p class="vl-mapping__hint" data-note="skipped-columns" data-value=layout.skipped_columns.join(",")>{skipped_columns_text(&layout.skipped_columns, lang)}</p> }
        });
        let sheet_field = (layout.sheets.len() > 1).then(|| {
            let current = layout.sheet.clone();
            view! {
                <label class="vl-field">
                    <span class="vl-field__label">{Text::SheetName.get(lang)}</span>
                    <select class="vl-select" data-setting="sheet" data-param="sheet" on:change=on_sheet disabled=busy>
                        {layout
                            .sheets
                            .iter()
                            .map(|name| view! { <option value=name.clone() selected=*name == current>{name.clone()}</option> })
                            .collect_view()}
                    </select>
                </label>
            }
        });
        let table_fields = table.then(|| {
            view! {
                <label class="vl-field">
                    <span class="vl-field__label">{Text::FileFormat.get(lang)}</span>
                    <span class="vl-field__note" data-format=format!("{format:?}")>{format.get(lang)}</span>
                </label>
                {sheet_field}
            }
        });
        // A file may have thousands of columns: the table shows a bounded number of them (plus
        // any column a role was given by number), the rest are reached by their number.
        let summary = preview.summary.clone();
        let columns = shown_columns(
            column_count,
            Role::ALL
                .into_iter()
                .filter_map(|r| preview.mapping.get(r))
                .chain(
                    SummaryRole::ALL
                        .into_iter()
                        .filter_map(|r| summary.as_ref()?.get(r)),
                ),
        );
        let hidden = column_count - columns.iter().filter(|&&c| c < column_count).count();
        let role_cells = columns
            .iter()
            .map(|&column| {
                let current = Role::ALL.into_iter().find(|&r| preview.mapping.get(r) == Some(column));
                let attribute = column_attribute(&preview, column);
                let line = column_line(&preview, column);
                let guess = preview.guesses.iter().find(|g| g.column == column && Some(g.role) == current).cloned();
                // "Role · Column number 2 · Amount": which column this select is for, read out.
                let role_label = format!(
                    "{} · {} {} · {}",
                    Text::ColumnRole.get(lang),
                    Text::ColumnNumber.get(lang),
                    column + 1,
                    clip(&column_title(preview.headers.get(column).map(String::as_str).unwrap_or(""), column, lang), CELL_CHARS).shown
                );
                let on_role = move |event: ev::Event| {
                    let value = event_target::<HtmlSelectElement>(&event).value();
                    let role = Role::ALL.into_iter().find(|r| r.as_str() == value);
                    // `attr:region` …: the column is kept as a customer attribute (issue 20).
                    let kind = value.strip_prefix("attr:").and_then(AttributeKind::from_name);
                    // `line:category` …: the column is kept as a line attribute (issue 20).
                    let line_kind = value.strip_prefix("line:").and_then(LineKind::from_name);
                    state.preview.update(|p| {
                        if let Some(p) = p {
                            match (kind, line_kind) {
                                (Some(kind), _) => set_column_attribute(p, column, Some(kind)),
                                (None, Some(kind)) => set_column_line(p, column, Some(kind)),
                                (None, None) => set_column_role(p, column, role),
                            }
                        }
                    });
                };
                let badge = guess.map(|g| {
                    let source = match g.source {
                        GuessSource::HeaderExact | GuessSource::HeaderPartial => Text::FromHeader,
                        GuessSource::Values => Text::FromValues,
                    };
                    let level = if g.confidence >= 0.8 { "high" } else if g.confidence >= 0.5 { "mid" } else { "low" };
                    view! {
                        <span class=format!("vl-badge vl-badge--{level}") title=Text::Confidence.get(lang)>
                            {format!("{} {:.0}%", source.get(lang), g.confidence * 100.0)}
                        </span>
                    }
                });
                view! {
                    <th class="vl-mapping__role" scope="col">
                        <select class="vl-select" data-role-column=column.to_string() aria-label=role_label on:change=on_role>
                            <option value="" selected=current.is_none() && attribute.is_none() && line.is_none()>{Text::RoleNone.get(lang)}</option>
                            {Role::ALL
                                .into_iter()
                                .map(|role| {
                                    let label = if role.is_required() {
                                        format!("{} ({})", role_text(role).get(lang), Text::Required.get(lang))
                                    } else {
                                        role_text(role).get(lang).to_string()
                                    };
                                    view! { <option value=role.as_str() selected=current == Some(role)>{label}</option> }
                                })
                                .collect_view()}
                            <optgroup label=Text::DimAttributeGroup.get(lang)>
                                {AttributeKind::ALL
                                    .into_iter()
                                    .map(|kind| view! {
                                        <option value=format!("attr:{}", kind.as_str()) selected=attribute == Some(kind)>
                                            {format!("{} · {}", Text::DimAttributeGroup.get(lang), attribute_kind_text(kind).get(lang))}
                                        </option>
                                    })
                                    .collect_view()}
                            </optgroup>
                            <optgroup label=Text::LineAttributeGroup.get(lang)>
                                {LineKind::ALL
                                    .into_iter()
                                    .map(|kind| view! {
                                        <option value=format!("line:{}", kind.as_str()) selected=line == Some(kind)>
                                            {format!("{} · {}", Text::LineAttributeGroup.get(lang), line_kind_text(kind).get(lang))}
                                        </option>
                                    })
                                    .collect_view()}
                            </optgroup>
                        </select>
                        {badge}
                    </th>
                }
            })
            .collect_view();
        let role_cells = match &summary {
            Some(mapping) => {
                summary_role_cells(state, &columns, mapping, &preview.headers, lang).into_any()
            }
            None => role_cells.into_any(),
        };
        let header_cells = columns
            .iter()
            .map(|&c| {
                let h = column_title(preview.headers.get(c).map(String::as_str).unwrap_or(""), c, lang);
                view! { <th scope="col" class="vl-mapping__name"><UserText text=h max=CELL_CHARS /></th> }
            })
            .collect_view();
        let body = preview
            .rows
            .iter()
            .take(10)
            .map(|row| {
                let cells = columns
                    .iter()
                    .map(|&i| view! { <td><UserText text=row.get(i).cloned().unwrap_or_default() max=CELL_CHARS /></td> })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        // Line attributes past the first ones are mapped but not aggregated: say which.
        let not_kept = lines_not_kept(&preview);
        let lines_note = (!not_kept.is_empty()).then(|| {
            let names = not_kept
                .iter()
                .map(|&c| clip(&column_title(preview.headers.get(c).map(String::as_str).unwrap_or(""), c, lang), CELL_CHARS).shown)
                .collect::<Vec<_>>()
                .join(", ");
            let text = crate::present::sentence(Text::LinesNotKept.get(lang), &[LINE_LIMIT.to_string(), names]);
            view! { <p class="vl-mapping__hint" data-lines-not-kept=not_kept.len().to_string()>{text}</p> }
        });
        // Every role can be given any column by its number, when the table does not show all.
        let by_number = (hidden > 0 && summary.is_none()).then(|| {
            let fields = Role::ALL
                .into_iter()
                .map(|role| {
                    let current = preview.mapping.get(role);
                    let name = current
                        .and_then(|c| preview.headers.get(c).map(|h| column_title(h, c, lang)))
                        .map(|h| clip(&h, CELL_CHARS).shown)
                        .unwrap_or_default();
                    let on_number = move |event: ev::Event| {
                        let value = event_target::<HtmlInputElement>(&event).value();
                        state.preview.update(|p| {
                            if let Some(p) = p {
                                let column = column_from_input(&value, p.headers.len());
                                if column.is_some() || value.trim().is_empty() {
                                    set_role_column(p, role, column);
                                }
                            }
                        });
                    };
                    view! {
                        <label class="vl-field">
                            <span class="vl-field__label">{role_text(role).get(lang)}</span>
                            <input
                                class="vl-select vl-mapping__number"
                                type="number"
                                min="1"
                                max=column_count.to_string()
                                aria-label=Text::ColumnNumber.get(lang)
                                data-role-number=role.as_str()
                                prop:value=current.map(|c| (c + 1).to_string()).unwrap_or_default()
                                on:change=on_number
                            />
                            <bdi class="vl-field__note vl-user-text">{name}</bdi>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="vl-mapping__by-number" data-columns-total=column_count.to_string() data-columns-shown=(column_count - hidden).to_string()>
                    <p class="vl-mapping__hint" data-columns-note="">{columns_shown_text(column_count - hidden, column_count, lang)}</p>
                    <p class="vl-field__label">{Text::ColumnByNumber.get(lang)}</p>
                    <div class="vl-mapping__options">{fields}</div>
                </div>
            }
        });
        Some(view! {
            <details class="vl-panel vl-mapping" open=open data-panel="mapping">
                <summary class="vl-panel__title">{Text::MappingTitle.get(lang)}</summary>
                <p class="vl-mapping__hint">{if open { Text::MappingNeeded.get(lang) } else { Text::MappingHint.get(lang) }}</p>
                {(!concerns.is_empty()).then(|| view! {
                    <ul class="vl-concerns" data-concerns=concerns.len().to_string()>
                        {concerns.iter().map(|c| view! { <li>{concern_text(*c, lang)}</li> }).collect_view()}
                    </ul>
                })}
                {title_note}
                {skipped_note}
                {lines_note}
                <div class="vl-mapping__options">
                    {table_fields}
                    {(!table).then(|| view! {
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::SumLayout.get(lang)}</span>
                        <select class="vl-select" data-setting="layout" data-param="layout" on:change=on_layout disabled=busy>
                            <option value="lines" selected=summary.is_none()>{Text::SumLayoutLines.get(lang)}</option>
                            <option value="summary" selected=summary.is_some()>{Text::SumLayoutSummary.get(lang)}</option>
                        </select>
                    </label>
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::Encoding.get(lang)}</span>
                        <select class="vl-select" data-setting="encoding" on:change=on_encoding disabled=busy>
                            {encodings
                                .into_iter()
                                .map(|e| {
                                    let selected = e.eq_ignore_ascii_case(&detected);
                                    view! { <option value=e.clone() selected=selected>{e.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                        <span class="vl-field__note" data-encoding=detected.clone()>{evidence_text(preview.encoding.evidence).get(lang)}</span>
                    </label>
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::Delimiter.get(lang)}</span>
                        <select class="vl-select" data-setting="delimiter" on:change=on_delimiter disabled=busy>
                            {Delimiter::ALL
                                .into_iter()
                                .map(|d| view! { <option value=d.as_str() selected=d == preview.delimiter>{delimiter_text(d).get(lang)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class=if runaway { "vl-field vl-field--attention" } else { "vl-field" }>
                        <span class="vl-field__label">{Text::Quotes.get(lang)}</span>
                        <select class="vl-select" data-setting="quotes" data-param="quotes" on:change=on_quotes disabled=busy>
                            <option value="standard" selected=preview.quotes == Quotes::Standard>{Text::QuotesStandard.get(lang)}</option>
                            <option value="literal" selected=preview.quotes == Quotes::Literal>{Text::QuotesLiteral.get(lang)}</option>
                        </select>
                    </label>
                    <label class="vl-field vl-field--check">
                        <input type="checkbox" data-setting="header" checked=preview.has_header on:change=on_header disabled=busy />
                        <span class="vl-field__label">{Text::HeaderRow.get(lang)}</span>
                    </label>
                    })}
                    <label class="vl-field">
                        <span class="vl-field__label">{Text::DecimalSeparator.get(lang)}</span>
                        <select class="vl-select" data-setting="decimal" on:change=on_decimal>
                            <option value="point" selected=preview.decimal == DecimalSeparator::Point>{Text::PointDecimal.get(lang)}</option>
                            <option value="comma" selected=preview.decimal == DecimalSeparator::Comma>{Text::CommaDecimal.get(lang)}</option>
                        </select>
                    </label>
                    <label class=if ambiguous_dates { "vl-field vl-field--attention" } else { "vl-field" }>
                        <span class="vl-field__label">{Text::DateOrder.get(lang)}</span>
                        <select class="vl-select" data-setting="date-order" on:change=on_date_order>
                            <option value="day-first" selected=preview.date_order == DateOrder::DayFirst>{Text::DayFirst.get(lang)}</option>
                            <option value="month-first" selected=preview.date_order == DateOrder::MonthFirst>{Text::MonthFirst.get(lang)}</option>
                        </select>
                    </label>
                </div>
                {summary.is_some().then(|| view! { <p class="vl-mapping__hint" data-note="summary-layout">{Text::SumLayoutHint.get(lang)}</p> })}
                {by_number}
                <div class="vl-table-wrap" tabindex="0" role="region" aria-label=Text::MappingTitle.get(lang)>
                    <table class="vl-table vl-mapping__table">
                        <thead>
                            <tr>{role_cells}</tr>
                            <tr>{header_cells}</tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <div class="vl-mapping__actions">
                    <button
                        class="vl-button vl-button--primary"
                        type="button"
                        data-action="import"
                        disabled=busy || !controller.has_file()
                        on:click=import
                    >
                        {Text::ImportNow.get(lang)}
                    </button>
                </div>
            </details>
        })
    }
}

//! The frame of a data table: a scrollable, labelled region, the header row from a list of
//! columns, and the rows the page draws. One copy of the markup for every such table.

use yew::prelude::*;

/// A column: its heading, and whether it holds figures (right-aligned).
pub type Col = (&'static str, bool);

pub fn data_table(
    region: &'static str,
    class: &'static str,
    testid: &'static str,
    cols: &[Col],
    rows: Html,
) -> Html {
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label={region}>
            <table class={classes!("data", class)} data-testid={testid}>
                <thead>
                    <tr>
                        { for cols.iter().map(|(label, num)| html! {
                            <th scope="col" class={num.then_some("num")}>{ *label }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>{ rows }</tbody>
            </table>
        </div>
    }
}

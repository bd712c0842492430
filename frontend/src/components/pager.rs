//! Page navigation: 上一页, a window of page numbers, 下一页, and where we are.

use yew::prelude::*;

/// The page numbers to offer: first, last, and two either side of the current one; `None`
/// stands for a gap.
fn window(page: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(page) <= 2 {
            if p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        }
    }
    out
}

/// `page` is 1-based; `total` counts the matching items over all pages.
pub fn pager(page: u32, per_page: u32, total: u64, on_page: &Callback<u32>) -> Html {
    let per_page = u64::from(per_page.max(1));
    let pages = u32::try_from(total.div_ceil(per_page)).unwrap_or(u32::MAX);
    let from = u64::from(page).saturating_sub(1) * per_page + 1;
    let to = (u64::from(page) * per_page).min(total);
    let go = |p: u32| {
        let on_page = on_page.clone();
        Callback::from(move |_: MouseEvent| on_page.emit(p))
    };
    let status = if total == 0 {
        "共 0 项".to_string()
    } else if from > total {
        format!("共 {} 项，第 {page} 页无数据", total)
    } else {
        format!("第 {from}–{to} 项，共 {} 项", total)
    };
    html! {
        <nav class="pager" aria-label="分页">
            <span class="pager-status" data-testid="pager-status">{ status }</span>
            if pages > 1 || page > 1 {
                <ul class="pager-pages">
                    <li>
                        <button type="button" class="button" disabled={page <= 1}
                            onclick={go(page.saturating_sub(1).max(1))} data-testid="pager-prev">
                            { "上一页" }
                        </button>
                    </li>
                    { for window(page, pages).into_iter().map(|p| match p {
                        Some(p) if p == page => html! {
                            <li><button type="button" class="button current" aria-current="page"
                                disabled=true>{ p }</button></li>
                        },
                        Some(p) => html! {
                            <li><button type="button" class="button" onclick={go(p)}
                                aria-label={format!("第 {p} 页")}>{ p }</button></li>
                        },
                        None => html! { <li class="gap" aria-hidden="true">{ "…" }</li> },
                    }) }
                    <li>
                        <button type="button" class="button" disabled={page >= pages}
                            onclick={go(page.saturating_add(1))} data-testid="pager-next">
                            { "下一页" }
                        </button>
                    </li>
                </ul>
            }
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn the_window_keeps_ends_and_neighbours() {
        assert_eq!(window(1, 1), [Some(1)]);
        assert_eq!(window(1, 5), [Some(1), Some(2), Some(3), None, Some(5)]);
        assert_eq!(
            window(5, 10),
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
    }
}

//! Small helpers that keep the wasm small.

/// Sorts a short slice by `key`, stably. An insertion sort: the app sorts tens of items, and
/// each use of the standard library's sorts adds kilobytes of code to the bundle.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A server time (UTC, RFC 3339) as the browser's local time, `2024-06-01 11:04`; the text
/// as given when it is not a time.
pub fn local_time(rfc3339: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = web_sys::js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if d.get_time().is_nan() {
            return rfc3339.to_string();
        }
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
    }
}

/// Today in China (UTC+8), which decides what month may be reported; `None` off the web.
pub fn today_in_china() -> Option<keyproj_shared::CalendarDate> {
    #[cfg(target_arch = "wasm32")]
    {
        let ms = web_sys::js_sys::Date::now() + 8.0 * 3600.0 * 1000.0;
        let d = web_sys::js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        keyproj_shared::CalendarDate::from_ymd(
            i32::try_from(d.get_utc_full_year()).ok()?,
            d.get_utc_month() + 1,
            d.get_utc_date(),
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_stable() {
        let mut v = [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut empty: [i32; 0] = [];
        sort_by_key(&mut empty, |x| *x);
    }
}

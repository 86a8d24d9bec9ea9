//! Lists handed out a page at a time, with the length of the whole list.

use rusqlite::{Row, ToSql};

use super::{Page, StoreError, Tx};

/// A list read a page at a time: `SELECT {columns} FROM {from} WHERE {filter} ORDER BY {order}`.
/// The filter's parameters are `?` or `?N`; the page's LIMIT and OFFSET are bound after them.
pub(super) struct List<'q> {
    pub(super) columns: &'q str,
    pub(super) from: &'q str,
    pub(super) filter: &'q str,
    /// Must end on a unique key, so that pages neither repeat nor skip rows.
    pub(super) order: &'q str,
}

/// How many rows come before page `number` (counted from 1) of `size` rows.
pub(super) fn offset(size: i64, number: i64) -> i64 {
    (number - 1).saturating_mul(size)
}

impl Tx<'_> {
    /// Page `number` (from 1) of `size` rows of `list`, and how many rows the list holds in all.
    pub(super) fn page<T>(
        &self,
        list: &List<'_>,
        args: &[&dyn ToSql],
        size: i64,
        number: i64,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Page<T>, StoreError> {
        let List { from, filter, .. } = list;
        let total: i64 =
            self.value(&format!("SELECT COUNT(*) FROM {from} WHERE {filter}"), args)?;
        let items = self.page_items(list, args, size, number, row)?;
        Ok(Page { items, total })
    }

    /// Page `number` (from 1) of `size` rows of `list`, for a list counted some other way.
    pub(super) fn page_items<T>(
        &self,
        list: &List<'_>,
        args: &[&dyn ToSql],
        size: i64,
        number: i64,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let List {
            columns,
            from,
            filter,
            order,
        } = list;
        let offset = offset(size, number);
        let mut bound = args.to_vec();
        bound.push(&size);
        bound.push(&offset);
        let items = self
            .tx
            .prepare_cached(&format!(
                "SELECT {columns} FROM {from} WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"
            ))?
            .query_map(bound.as_slice(), row)?
            .collect::<Result<_, _>>()?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn pages_split_a_list_and_count_all_of_it() {
        let store = Store::open(":memory:").unwrap();
        store
            .write(|tx| {
                for i in 0..5 {
                    tx.set_meta(&format!("k{i}"), "v")?;
                }
                tx.set_meta("other", "v")?;
                let list = List {
                    columns: "key",
                    from: "meta",
                    filter: "key LIKE ?1 AND value = ?2",
                    order: "key DESC",
                };
                let page = |number| tx.page(&list, &[&"k%", &"v"], 2, number, |r| r.get(0));
                let keys = |p: Page<String>| (p.items, p.total);
                assert_eq!(keys(page(1)?), (vec!["k4".into(), "k3".into()], 5));
                assert_eq!(keys(page(3)?), (vec!["k0".into()], 5));
                assert_eq!(keys(page(4)?), (vec![], 5));
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}

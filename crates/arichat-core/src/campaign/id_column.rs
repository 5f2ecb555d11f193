//! Which column of a customers table holds the customer ids: decided once for the CLI
//! (`arichat assign`) and the Python batch (`assign_table`, `CampaignCache.write_table`).

/// Names tried, in order, when the caller names no id column.
pub const ID_COLUMNS: [&str; 2] = ["customer_id", "id"];

/// Where a table's customer ids come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdColumn {
    /// The column at this position.
    At(usize),
    /// The caller named a column the table does not have.
    Missing(String),
    /// No column named and none of [`ID_COLUMNS`] present: each row's number, from 1,
    /// is its id (the row a person finds in the file).
    RowNumbers,
}

impl IdColumn {
    /// Finds the id column among `headers`: `requested` when given (else
    /// [`IdColumn::Missing`]), otherwise the first of [`ID_COLUMNS`] present, otherwise
    /// [`IdColumn::RowNumbers`].
    ///
    /// ```
    /// use arichat_core::campaign::IdColumn;
    /// let headers = ["age", "id", "customer_id"];
    /// assert_eq!(IdColumn::resolve(&headers, None), IdColumn::At(2));
    /// assert_eq!(IdColumn::resolve(&headers, Some("id")), IdColumn::At(1));
    /// assert_eq!(IdColumn::resolve(&["age"], None), IdColumn::RowNumbers);
    /// assert_eq!(IdColumn::resolve(&["age"], Some("cpf")), IdColumn::Missing("cpf".into()));
    /// ```
    pub fn resolve<S: AsRef<str>>(headers: &[S], requested: Option<&str>) -> IdColumn {
        let at = |name: &str| headers.iter().position(|h| h.as_ref() == name);
        match requested {
            Some(name) => at(name).map_or_else(|| IdColumn::Missing(name.to_owned()), IdColumn::At),
            None => ID_COLUMNS
                .iter()
                .find_map(|name| at(name))
                .map_or(IdColumn::RowNumbers, IdColumn::At),
        }
    }
}

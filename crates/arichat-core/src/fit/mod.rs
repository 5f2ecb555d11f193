//! (arriving with the lead-intelligence issue)

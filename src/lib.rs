//! JobGuard's classifier: compiles a rule pack once, then scores job pages for scam lures.

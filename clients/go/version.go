package accord

// Version is the Accord API and client version (the repository's VERSION
// file; errors_test.go checks they agree).
const Version = "1.1.0"

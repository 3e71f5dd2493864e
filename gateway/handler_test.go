package main

import "testing"

func TestCamelToSnake(t *testing.T) {
	for in, want := range map[string]string{
		"name":             "name",
		"signDate":         "sign_date",
		"signDate.year":    "sign_date.year",
		"sign_date":        "sign_date",
		"legallyBinding":   "legally_binding",
		"cooperationAreas": "cooperation_areas",
		"":                 "",
		"*":                "*",
	} {
		if got := CamelToSnake(in); got != want {
			t.Errorf("CamelToSnake(%q) = %q, want %q", in, got, want)
		}
	}
}

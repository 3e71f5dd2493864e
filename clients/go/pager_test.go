package accord_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	accord "accord/clients/go"
	"accord/clients/go/accordpb"
)

// fakeList serves names in pages of size, tokens "2", "4", ...; it records
// the page_token of every call and fails the call numbered failAt (0-based).
type fakeList struct {
	names  []string
	size   int
	failAt int
	tokens []string
}

func (f *fakeList) call(_ context.Context, req *accordpb.ListCountriesRequest, _ ...grpc.CallOption) (*accordpb.ListCountriesResponse, error) {
	f.tokens = append(f.tokens, req.GetPageToken())
	if len(f.tokens)-1 == f.failAt {
		return nil, status.Error(codes.Unavailable, "down")
	}
	start := 0
	if req.GetPageToken() != "" {
		start, _ = strconv.Atoi(req.GetPageToken())
	}
	resp := &accordpb.ListCountriesResponse{}
	for i := start; i < len(f.names) && i < start+f.size; i++ {
		resp.Countries = append(resp.Countries, &accordpb.Country{Name: f.names[i]})
	}
	if start+f.size < len(f.names) {
		resp.NextPageToken = strconv.Itoa(start + f.size)
	}
	return resp, nil
}

func TestItemsWalksEveryPage(t *testing.T) {
	f := &fakeList{names: []string{"countries/cn", "countries/my", "countries/us"}, size: 2, failAt: -1}
	req := &accordpb.ListCountriesRequest{Filter: "x"}
	var got []string
	for c, err := range accord.Items(context.Background(), req, f.call, (*accordpb.ListCountriesResponse).GetCountries) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.GetName())
	}
	if want := []string{"countries/cn", "countries/my", "countries/us"}; !equal(got, want) {
		t.Errorf("items %v, want %v", got, want)
	}
	if want := []string{"", "2"}; !equal(f.tokens, want) {
		t.Errorf("tokens sent %v, want %v", f.tokens, want)
	}
	if req.GetPageToken() != "" {
		t.Errorf("the caller's request was modified: %v", req)
	}
}

func TestBreakingOutFetchesNoMorePages(t *testing.T) {
	f := &fakeList{names: []string{"countries/cn", "countries/my", "countries/us"}, size: 1, failAt: -1}
	for range accord.Items(context.Background(), &accordpb.ListCountriesRequest{}, f.call, (*accordpb.ListCountriesResponse).GetCountries) {
		break
	}
	if len(f.tokens) != 1 {
		t.Errorf("%d calls after breaking out of the first item, want 1", len(f.tokens))
	}
}

func TestPagesStopsAtTheFirstError(t *testing.T) {
	f := &fakeList{names: []string{"countries/cn", "countries/my", "countries/us"}, size: 1, failAt: 1}
	pages, errs := 0, 0
	for _, err := range accord.Pages(context.Background(), &accordpb.ListCountriesRequest{}, f.call) {
		if err != nil {
			errs++
			var e *accord.Error
			if !errors.As(err, &e) || e.Code != codes.Unavailable {
				t.Errorf("error %v, want an *accord.Error UNAVAILABLE", err)
			}
			continue
		}
		pages++
	}
	if pages != 1 || errs != 1 || len(f.tokens) != 2 {
		t.Errorf("pages %d errors %d calls %d, want 1 1 2", pages, errs, len(f.tokens))
	}
}

func TestDialRejectsBadOptionsAndRetriesUnavailable(t *testing.T) {
	if _, err := accord.Dial("127.0.0.1:1", accord.WithRetries(6, time.Millisecond, time.Second)); err == nil {
		t.Errorf("6 attempts accepted")
	}
	if _, err := accord.Dial("127.0.0.1:1", accord.WithRetries(3, time.Second, time.Millisecond)); err == nil {
		t.Errorf("maxBackoff < initialBackoff accepted")
	}
	// Nothing listens on port 1: every attempt is UNAVAILABLE.
	c, err := accord.Dial("127.0.0.1:1", accord.WithTimeout(5*time.Second),
		accord.WithRetries(3, 10*time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.GetCountry(context.Background(), &accordpb.GetCountryRequest{Name: "countries/my"})
	var e *accord.Error
	if !errors.As(err, &e) || e.Code != codes.Unavailable {
		t.Errorf("error %v, want an *accord.Error UNAVAILABLE", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

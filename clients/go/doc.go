// Package accord is a thin Go client for Accord's AccordService
// (accord.v1, proto/accord/v1 in the repository).
//
//	c, err := accord.Dial("127.0.0.1:50051", accord.WithTimeout(5*time.Second))
//	if err != nil { ... }
//	defer c.Close()
//	art, err := c.GetAgreement(ctx, &accordpb.GetAgreementRequest{Name: "agreements/my-us-reciprocal-trade-2025"})
//	for a, err := range c.Agreements(ctx, &accordpb.ListAgreementsRequest{Filter: `parties:"countries/my"`}) { ... }
//
// A Client embeds the generated accordpb.AccordServiceClient, so every RPC
// is a method of it; Countries, Agreements, ... iterate over a List to its
// end, fetching pages lazily. Every error a Client returns is an *Error
// carrying the google.rpc details Accord sends (reason, metadata, field
// violations); status.FromError still works on it.
//
//go:generate ./generate.sh
package accord

package accord

import (
	"context"
	"iter"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"accord/clients/go/accordpb"
)

// listResponse is what every List response has.
type listResponse interface {
	proto.Message
	GetNextPageToken() string
}

// Pages iterates over the pages of a List: it calls call with req, then
// again with page_token set to each next_page_token, until one is empty.
// req is not modified. It stops after yielding the first error (an *Error);
// breaking out of the loop fetches no further page.
func Pages[Req proto.Message, Resp listResponse](ctx context.Context, req Req,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error)) iter.Seq2[Resp, error] {
	return func(yield func(Resp, error) bool) {
		r := proto.Clone(req).(Req)
		token := r.ProtoReflect().Descriptor().Fields().ByName("page_token")
		for {
			page, err := call(ctx, r)
			if err != nil {
				var zero Resp
				yield(zero, FromError(err))
				return
			}
			if !yield(page, nil) || page.GetNextPageToken() == "" {
				return
			}
			r.ProtoReflect().Set(token, protoreflect.ValueOfString(page.GetNextPageToken()))
		}
	}
}

// Items iterates over the items of every page of a List; items picks them
// out of a page (e.g. (*accordpb.ListAgreementsResponse).GetAgreements).
func Items[Req proto.Message, Resp listResponse, Item any](ctx context.Context, req Req,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error),
	items func(Resp) []Item) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		for page, err := range Pages(ctx, req, call) {
			if err != nil {
				var zero Item
				yield(zero, err)
				return
			}
			for _, it := range items(page) {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// Countries iterates over every country a ListCountries request matches.
func (c *Client) Countries(ctx context.Context, req *accordpb.ListCountriesRequest) iter.Seq2[*accordpb.Country, error] {
	return Items(ctx, req, c.ListCountries, (*accordpb.ListCountriesResponse).GetCountries)
}

// Partnerships iterates over every partnership a ListPartnerships request matches.
func (c *Client) Partnerships(ctx context.Context, req *accordpb.ListPartnershipsRequest) iter.Seq2[*accordpb.Partnership, error] {
	return Items(ctx, req, c.ListPartnerships, (*accordpb.ListPartnershipsResponse).GetPartnerships)
}

// Agreements iterates over every agreement a ListAgreements request matches.
func (c *Client) Agreements(ctx context.Context, req *accordpb.ListAgreementsRequest) iter.Seq2[*accordpb.Agreement, error] {
	return Items(ctx, req, c.ListAgreements, (*accordpb.ListAgreementsResponse).GetAgreements)
}

// Commitments iterates over every commitment a ListCommitments request matches.
func (c *Client) Commitments(ctx context.Context, req *accordpb.ListCommitmentsRequest) iter.Seq2[*accordpb.Commitment, error] {
	return Items(ctx, req, c.ListCommitments, (*accordpb.ListCommitmentsResponse).GetCommitments)
}

// CooperationAreas iterates over every cooperation area a ListCooperationAreas request matches.
func (c *Client) CooperationAreas(ctx context.Context, req *accordpb.ListCooperationAreasRequest) iter.Seq2[*accordpb.CooperationArea, error] {
	return Items(ctx, req, c.ListCooperationAreas, (*accordpb.ListCooperationAreasResponse).GetCooperationAreas)
}

// Sectors iterates over every sector a ListSectors request matches.
func (c *Client) Sectors(ctx context.Context, req *accordpb.ListSectorsRequest) iter.Seq2[*accordpb.Sector, error] {
	return Items(ctx, req, c.ListSectors, (*accordpb.ListSectorsResponse).GetSectors)
}

// Sources iterates over every source a ListSources request matches.
func (c *Client) Sources(ctx context.Context, req *accordpb.ListSourcesRequest) iter.Seq2[*accordpb.Source, error] {
	return Items(ctx, req, c.ListSources, (*accordpb.ListSourcesResponse).GetSources)
}

// Assessments iterates over every assessment a ListAssessments request matches.
func (c *Client) Assessments(ctx context.Context, req *accordpb.ListAssessmentsRequest) iter.Seq2[*accordpb.Assessment, error] {
	return Items(ctx, req, c.ListAssessments, (*accordpb.ListAssessmentsResponse).GetAssessments)
}

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// pool hands each worker its own share of the campaign's links and
// invitations: worker w takes the w-th, then the (w+clients)-th, and so
// on, so that no two clients ever answer through the same link at once.
// A worker past the end of its share starts again from its first link;
// through the page that is an edit of the earlier answers, which is
// counted in reused.
type pool struct {
	cs      *campaignSetup
	clients int
	reused  atomic.Int64
}

func (p *pool) index(worker, seq int) int {
	per := len(p.cs.Tokens) / p.clients
	if seq >= per {
		p.reused.Add(1)
	}
	return worker + (seq%per)*p.clients
}

// answersFor are the answers a worker's seq-th submission carries.
func answersFor(worker, seq, firm int) answers {
	return newAnswers(rand.New(rand.NewPCG(uint64(worker), uint64(seq))), firm)
}

// newHTTPClient is a client with one keep-alive connection per worker, no
// proxy (only loopback is contacted) and no redirects followed.
func newHTTPClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{Proxy: nil, MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: clients,
			MaxConnsPerHost: clients, IdleConnTimeout: 90 * time.Second, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// post sends a request and reads the whole answer; 201 and 200 are
// acknowledgements, anything else is an error named by its status.
func post(hc *http.Client, req *http.Request) outcome {
	resp, err := hc.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return outcome{label: "cancelled"}
		}
		return outcome{label: "connection"}
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch {
	case err != nil:
		return outcome{label: "connection"}
	case resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK:
		return outcome{acked: true}
	}
	return outcome{label: statusLabel(resp.StatusCode)}
}

// pageSender posts the respondent page's JSON to POST /r/{token}/submissions.
func pageSender(hc *http.Client, base string, p *pool) sender {
	return func(ctx context.Context, worker, seq int) outcome {
		i := p.index(worker, seq)
		body := pageBody(campaign.NewInstanceID(), p.cs.VersionID, answersFor(worker, seq, i))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/r/"+p.cs.Tokens[i]+"/submissions", bytes.NewReader(body))
		if err != nil {
			panic(err) // the base and tokens are built here and always parse
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		return post(hc, req)
	}
}

// openRosaSender posts what ODK Collect sends: a multipart body with the
// instance in xml_submission_file, and the app user's Basic credentials.
func openRosaSender(hc *http.Client, base string, p *pool) sender {
	url := base + "/openrosa/" + p.cs.CampaignKey + "/submission"
	return func(ctx context.Context, worker, seq int) outcome {
		i := p.index(worker, seq)
		xml := instanceXML(p.cs.FormKey, p.cs.Version, "i"+strconv.FormatInt(p.cs.Invitations[i], 10), campaign.NewInstanceID(),
			answersFor(worker, seq, i))
		body, ctype := multipartInstance(xml)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-OpenRosa-Version", "1.0")
		req.SetBasicAuth(p.cs.AppUser, p.cs.AppSecret)
		return post(hc, req)
	}
}

// multipartInstance wraps an instance the way ODK Collect does.
func multipartInstance(xml []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="xml_submission_file"; filename="submission.xml"`)
	h.Set("Content-Type", "text/xml")
	part, _ := mw.CreatePart(h)
	part.Write(xml)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// storeOutcome is what Store.Submit's answer would have been over HTTP.
func storeOutcome(ctx context.Context, err error) outcome {
	if err == nil {
		return outcome{acked: true}
	}
	if ctx.Err() != nil {
		return outcome{label: "cancelled"}
	}
	if p := problem.As(err); p != nil && p.Kind != problem.Internal {
		return outcome{label: statusLabel(p.Kind.Status())}
	}
	if errors.Is(err, campaign.ErrGone) {
		return outcome{label: "410"}
	}
	return outcome{label: "store error: " + shorten(err.Error())}
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// directPageSender stores what the page handler would store, through the
// link, straight through campaign.Store.Submit.
func directPageSender(s *campaign.Store, p *pool) sender {
	return func(ctx context.Context, worker, seq int) outcome {
		i := p.index(worker, seq)
		id := campaign.NewInstanceID()
		a := answersFor(worker, seq, i)
		_, _, err := s.Submit(ctx, campaign.SubmissionInput{Token: p.cs.Tokens[i], FormVersionID: p.cs.VersionID, InstanceID: id,
			Channel: campaign.ChannelWeb, Answers: a.JSON(), Raw: pageBody(id, p.cs.VersionID, a), RawType: "application/json"})
		return storeOutcome(ctx, err)
	}
}

// directOpenRosaSender stores what the OpenRosa handler would store: the
// answers, the instance XML as the raw body, the invitation named and the
// app user, straight through campaign.Store.Submit.
func directOpenRosaSender(s *campaign.Store, p *pool) sender {
	actor := user.Actor{Name: "ODK Collect: " + p.cs.AppUser}
	return func(ctx context.Context, worker, seq int) outcome {
		i := p.index(worker, seq)
		id := campaign.NewInstanceID()
		a := answersFor(worker, seq, i)
		xml := instanceXML(p.cs.FormKey, p.cs.Version, "i"+strconv.FormatInt(p.cs.Invitations[i], 10), id, a)
		_, _, err := s.Submit(ctx, campaign.SubmissionInput{CampaignID: p.cs.CampaignID, InvitationID: p.cs.Invitations[i],
			AppUserID: p.cs.AppUserID, Actor: actor, FormVersionID: p.cs.VersionID, InstanceID: id, Channel: campaign.ChannelOpenRosa,
			Answers: a.JSON(), Raw: xml, RawType: "application/xml"})
		return storeOutcome(ctx, err)
	}
}

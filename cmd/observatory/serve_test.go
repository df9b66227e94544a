package main

import (
	"strings"
	"testing"
)

// TestServeRefusesBadTrustedProxies: a bad entry, from the flag or the
// environment, stops serve before it opens anything, naming the entry.
func TestServeRefusesBadTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		bad  string
	}{
		{nil, []string{"serve", "--trusted-proxies", "10.0.0.0/8, proxy.internal"}, "proxy.internal"},
		{map[string]string{"OBSERVATORY_TRUSTED_PROXIES": "192.0.2.1,10.0.0.0/33"}, []string{"serve"}, "10.0.0.0/33"},
	} {
		_, _, err := cli(t, c.env, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), "--trusted-proxies") || !strings.Contains(err.Error(), `"`+c.bad+`"`) {
			t.Errorf("%v %v: want an error naming %q, got %v", c.env, c.args, c.bad, err)
		}
	}
}

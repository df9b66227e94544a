// Package e2e holds the browser journeys: the real observatory binary with
// demo data, driven by headless Chromium through the DevTools protocol.
//
// Chromium comes from Debian's package (chromium). Without it the journeys
// are skipped, unless OBSERVATORY_REQUIRE_CHROMIUM=1 (CI), when they fail.
// Set OBSERVATORY_E2E_SHOTS=DIR to keep a screenshot of every step.
package e2e

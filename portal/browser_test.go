package portal

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPath finds Chromium; without it the test fails under CI=true
// and is skipped, loudly, otherwise.
func browserPath(t *testing.T) string {
	for _, p := range []string{"chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "Chromium is not installed (apt-get install chromium), so the portal's browser test cannot run"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPING (set CI=true to make this fail): " + msg)
	return ""
}

// In a real headless Chromium: a region signs in, uploads an invalid plan
// through the page, reads the findings from the DOM and submits; a
// reviewer signs in and finds the region's cell in the matrix.
func TestBrowserCheckSubmitReview(t *testing.T) {
	exe := browserPath(t)
	ts, _ := portalOn(t, "", t.TempDir(), nil)
	plan, err := filepath.Abs("../fixtures/plans/invalid/budget-over-allocation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-sync", true), chromedp.Flag("metrics-recording-only", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signInAs := func(token string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(ts.URL+"/"),
			chromedp.WaitVisible(css(`input[name=token]`)),
			chromedp.SendKeys(css(`input[name=token]`), token),
			chromedp.Click(css(`form[action="/signin"] button`)),
			chromedp.WaitVisible(css(`header form[action="/signout"]`)),
		)
	}
	if err := chromedp.Do(ctx,
		signInAs(midlandsToken),
		chromedp.Navigate(ts.URL+"/check"),
		chromedp.WaitVisible(css(`#plan`)),
		chromedp.SetUploadFiles(css(`#plan`), []string{plan}),
		chromedp.Click(css(`#check`)),
		chromedp.WaitVisible(css(`#status`)),
	); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(css(`#status`)))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.finding')).map(e => e.dataset.rule)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "error") || !strings.Contains(strings.Join(rules, " "), "RDP-BUD-002") {
		t.Fatalf("findings in the page: status %q, rules %v", status, rules)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`#submit`)), chromedp.WaitVisible(css(`#submitted`))); err != nil {
		t.Fatal(err)
	}
	if heading, err := chromedp.Run(ctx, chromedp.Text(css(`h1`))); err != nil || heading != "Midlands version 1" {
		t.Fatalf("after submitting: %q, %v", heading, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`header form[action="/signout"] button`)),
		chromedp.WaitVisible(css(`input[name=token]`)),
		signInAs(reviewerToken),
		chromedp.Navigate(ts.URL+"/review"),
		chromedp.WaitVisible(css(`#review-matrix`)),
	); err != nil {
		t.Fatal(err)
	}
	cell, err := chromedp.Run(ctx, chromedp.Text(css(`td[data-region="Midlands"][data-objective="plan"]`)))
	if err != nil || !strings.Contains(cell, "error 1") {
		t.Fatalf("the reviewer's matrix cell for Midlands, plan-wide: %q, %v", cell, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(shot, []byte("\xff\xd8")) || len(shot) < 10000 {
		t.Fatalf("screenshot of %d bytes is not a JPEG page", len(shot))
	}
	out := filepath.Join(t.TempDir(), "review.jpg")
	if dir := os.Getenv("RDPCHECK_SCREENSHOT_DIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		out = filepath.Join(dir, "portal-review.jpg")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the reviewer's dashboard: %s (%d bytes)", out, len(shot))
}

package portal

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
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
// reviewer signs in, finds the region's cell in the matrix and sees the
// national roll-up's charts.
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
	// The national roll-up draws the html report's charts: in the DOM,
	// laid out, and coloured by the report's stylesheet, which the
	// Content-Security-Policy lets through (an unstyled SVG bar is black).
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('section.national svg.chart')).filter(e => e.getBoundingClientRect().width > 300 && e.getBoundingClientRect().height > 40).map(e => e.id)`))
	if err != nil || len(charts) < 3 || charts[0] != "chart-commitments" || charts[1] != "chart-budget" {
		t.Fatalf("the charts on the reviewer's dashboard: %v, %v", charts, err)
	}
	fill, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#chart-budget rect.bar-region')).fill`))
	if err != nil || fill != "rgb(63, 124, 192)" {
		t.Fatalf("the budget chart's bars are not styled by the report's stylesheet: fill %q, %v", fill, err)
	}
	chart, err := chromedp.Run(ctx, chromedp.Screenshot(css(`#chart-budget`)))
	if err != nil {
		t.Fatal(err)
	}
	if n := pixelsOf(t, chart, color.RGBA{0x3f, 0x7c, 0xc0, 0xff}); n < 500 {
		t.Fatalf("the budget chart's screenshot shows %d pixels of its bar colour", n)
	}
	saveShot(t, chart, "portal-review-budget-chart.png")
	national, err := chromedp.Run(ctx, chromedp.Screenshot(css(`section.national`)))
	if err != nil {
		t.Fatal(err)
	}
	saveShot(t, national, "portal-review-national.png")
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(shot, []byte("\xff\xd8")) || len(shot) < 10000 {
		t.Fatalf("screenshot of %d bytes is not a JPEG page", len(shot))
	}
	saveShot(t, shot, "portal-review.jpg")
}

// saveShot keeps a screenshot in $RDPCHECK_SCREENSHOT_DIR when set.
func saveShot(t *testing.T, shot []byte, name string) {
	out := filepath.Join(t.TempDir(), name)
	if dir := os.Getenv("RDPCHECK_SCREENSHOT_DIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		out = filepath.Join(dir, name)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))
}

// pixelsOf counts the pixels of a PNG screenshot that are the colour c
// (within a little, for anti-aliasing).
func pixelsOf(t *testing.T, shot []byte, c color.RGBA) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -6 && d < 6 }
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(b, c.B) {
				n++
			}
		}
	}
	return n
}

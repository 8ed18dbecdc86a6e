package dev.kerbex.testing;

import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser of the console and sign-in tests: Debian's Chromium and chromedriver ({@code scripts/browser.sh}),
 * headless, with its own profile directory and nothing fetched in the background.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** chromedriver on a free port. */
    public static ChromeDriverService driverService() {
        return new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort().build();
    }

    public static ChromeOptions options(Path profile) {
        return new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
    }
}

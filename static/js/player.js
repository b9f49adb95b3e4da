/*
 * player.js - the members' player on the video page.
 *
 * The page (templates/video.mustache, pages/playback.h) renders a native
 * <video controls> element with data attributes: data-manifest (the /hls/
 * master playlist: nginx lets only entitled members through), data-quality
 * (the member's preferred quality: 480p, 720p, 1080p or 4k), data-autoplay
 * ("true"/"false"), data-resume (seconds from the watch history),
 * data-csrf and data-progress-url (where progress goes), data-video (the
 * slug).
 *
 *  - hls.js (static/vendor/hls/, installed from npm at build time:
 *    deploy/static) plays the stream through Media Source; browsers with
 *    native HLS (Safari) get the manifest as the element's src instead.
 *  - The quality menu (a labelled <select>) lists the stream's renditions
 *    by height plus "Auto" and starts at the rendition nearest the member's
 *    preferred quality.  With native HLS the browser picks and the menu
 *    stays hidden.
 *  - Autoplay when the member wants it; if the browser refuses sound
 *    without a gesture, muted.
 *  - Resume: seek to the saved position once the metadata is known
 *    (unless it is within the last seconds: then start over).
 *  - Progress: every 10 s while playing, on pause and end, and when the
 *    page is hidden or left (navigator.sendBeacon, which survives
 *    unloading), POST form-encoded video, position, duration (whole
 *    seconds) and the CSRF token (a beacon cannot set headers).
 *
 * External file only: the Content-Security-Policy allows no inline script
 * (hls.js needs media-src blob: and worker-src blob:, which it allows).
 */
(function () {
	"use strict";

	var REPORT_MS = 10000;
	/* Heights of the qualities a member can prefer (users.preferred_quality). */
	var HEIGHTS = { "480p": 480, "720p": 720, "1080p": 1080, "4k": 2160 };
	/* A saved position this close to the end starts the film over. */
	var END_MARGIN_S = 5;

	function label(height) {
		return height >= 2160 ? "4K" : height + "p";
	}

	/* Index of the level whose height is nearest `want` (the lower one on a tie). */
	function nearest(levels, want) {
		var best = 0;
		for (var i = 1; i < levels.length; i++) {
			var d = Math.abs(levels[i].height - want), bd = Math.abs(levels[best].height - want);
			if (d < bd || (d === bd && levels[i].height < levels[best].height)) best = i;
		}
		return best;
	}

	function say(video, text) {
		var p = video.parentNode.querySelector(".player__note");
		if (!p) {
			p = document.createElement("p");
			p.className = "player__note";
			p.setAttribute("role", "status");
			video.parentNode.appendChild(p);
		}
		p.textContent = text;
	}

	function initProgress(video) {
		var url = video.getAttribute("data-progress-url");
		var slug = video.getAttribute("data-video");
		var csrf = video.getAttribute("data-csrf");
		var last = -1;

		function report(leaving) {
			var d = video.duration;
			if (!url || !isFinite(d) || d <= 0) return;
			var duration = Math.max(1, Math.round(d));
			var position = Math.min(duration, Math.max(0, Math.floor(video.currentTime)));
			if (position === last) return;
			last = position;
			var body = new URLSearchParams();
			body.set("video", slug);
			body.set("position", String(position));
			body.set("duration", String(duration));
			body.set("csrf", csrf);
			if (leaving && navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
			if (window.fetch) {
				fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true })
					.catch(function () { last = -1; });
			}
		}

		setInterval(function () { if (!video.paused) report(false); }, REPORT_MS);
		video.addEventListener("pause", function () { report(false); });
		video.addEventListener("ended", function () { report(false); });
		window.addEventListener("pagehide", function () { report(true); });
		document.addEventListener("visibilitychange", function () {
			if (document.visibilityState === "hidden") report(true);
		});
	}

	function initMenu(video, hls, start) {
		var select = document.getElementById("player-quality");
		if (!select || hls.levels.length < 2) return;
		var order = hls.levels.map(function (l, i) { return i; })
			.sort(function (a, b) { return hls.levels[b].height - hls.levels[a].height; });
		select.textContent = "";
		select.appendChild(new Option("Auto", "-1"));
		order.forEach(function (i) {
			select.appendChild(new Option(label(hls.levels[i].height), String(i)));
		});
		select.value = String(start);
		select.addEventListener("change", function () {
			hls.currentLevel = parseInt(select.value, 10);
		});
		select.closest(".player__controls").hidden = false;
	}

	function play(video) {
		var p = video.play();
		if (p && p.catch) {
			p.catch(function () {
				/* No sound without a gesture here: start muted, the controls unmute. */
				video.muted = true;
				video.play().catch(function () {});
			});
		}
	}

	function init(video) {
		var manifest = video.getAttribute("data-manifest");
		var resume = parseInt(video.getAttribute("data-resume"), 10) || 0;
		var want = HEIGHTS[video.getAttribute("data-quality")] || HEIGHTS["1080p"];
		var autoplay = video.getAttribute("data-autoplay") === "true";
		if (!manifest) return;

		video.addEventListener("loadedmetadata", function () {
			if (resume > 0 && resume < video.duration - END_MARGIN_S) video.currentTime = resume;
			if (autoplay) play(video);
		}, { once: true });
		initProgress(video);

		var Hls = window.Hls;
		if (Hls && Hls.isSupported()) {
			var hls = new Hls();
			hls.on(Hls.Events.MANIFEST_PARSED, function () {
				var start = nearest(hls.levels, want);
				hls.currentLevel = start;
				initMenu(video, hls, start);
			});
			var recovered = false;
			hls.on(Hls.Events.ERROR, function (event, data) {
				if (!data.fatal) return;
				if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
					recovered = true;
					hls.recoverMediaError();
					return;
				}
				hls.destroy();
				var denied = data.response && (data.response.code === 401 || data.response.code === 403);
				say(video, denied ? "Your membership does not include this film any more. Reload the page to see why."
					: "The film could not be loaded. Please reload the page to try again.");
			});
			hls.loadSource(manifest);
			hls.attachMedia(video);
		} else if (video.canPlayType("application/vnd.apple.mpegurl")) {
			video.src = manifest;
		} else {
			say(video, "This browser cannot play the film: please use a recent browser.");
		}
	}

	var videos = document.querySelectorAll("video[data-manifest]");
	for (var i = 0; i < videos.length; i++) init(videos[i]);
})();

# tests/lib/member.sh - members made directly in the database (sourced), so
# a script depends on nothing but the session format (session.h: the cookie
# is base64url of 32 random bytes, the table holds their BLAKE2b-256).
#
#   member_new DB EMAIL NAME SUBSCRIPTION
#       a user EMAIL / NAME with a one-day session, through the libpq
#       string DB (the owner role); SUBSCRIPTION is "active" (period ends
#       in 30 days) or "none".  Sets M_ID (the user's id) and M_COOKIE (a
#       Cookie header value: the session and the age-gate cookie).
# The caller deletes its members (DELETE FROM users WHERE email ...).

member_new() {
	local raw tok hash
	raw=$(mktemp) || return 1
	head -c 32 /dev/urandom >"$raw"
	tok=$(base64 -w0 <"$raw" | tr '+/' '-_' | tr -d '=')
	hash=$(b2sum -l 256 <"$raw" | cut -d' ' -f1)
	rm -f "$raw"
	M_ID=$(psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -v email="$2" -v name="$3" -v hash="$hash" -v sub="$4" <<-'SQL'
		INSERT INTO users (email, password_hash, username) VALUES (:'email', 'x', :'name') RETURNING id \gset u_
		INSERT INTO sessions (user_id, token_hash, csrf_secret, expires_at)
		  VALUES (:'u_id', decode(:'hash', 'hex'), decode(md5(random()::text) || md5(random()::text), 'hex'),
		          now() + interval '1 day');
		INSERT INTO subscriptions (user_id, plan_name, billing_amount, status, started_at,
		    current_period_start, current_period_end)
		  SELECT :'u_id', 'monthly', 9.99, 'active', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
		         (now() AT TIME ZONE 'UTC') + interval '30 days'
		  WHERE :'sub' = 'active';
		SELECT :'u_id';
	SQL
	) || return 1
	M_COOKIE="marquee_session=$tok; marquee_age=1"
}

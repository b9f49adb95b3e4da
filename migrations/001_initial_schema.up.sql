-- 001_initial_schema: the nine tables of ../shared/schema-design.md with the
-- same table names, column names, types and defaults, plus their constraints
-- and indexes.  Where the document is wrong the change is marked `-- fix:`
-- with the reason.  Counters, updated_at and the 2257 gate are triggers in
-- 002/003; page indexes are in 005.
--
-- Migration files run inside the transaction that `marqueectl migrate`
-- opens: they must not contain BEGIN/COMMIT.
--
-- Timestamps: the documented columns keep the type TIMESTAMP (without time
-- zone) so that tools written against the document load unchanged; they hold
-- UTC.  Which zone CURRENT_TIMESTAMP defaults are written in depends on the
-- session's TimeZone, so the database default is set to UTC below (the
-- application also sets it at connect time).  Tables added later, which the
-- document does not describe, use timestamptz.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- fix: TIMESTAMP columns are only meaningful in one agreed zone; make UTC the
-- default for every new session.  Needs ownership of the database: when the
-- migrating role is not the owner this is reported and skipped, and the
-- application's own `SET TimeZone` still applies.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not the database owner: leaving the database TimeZone default alone';
END
$$;

-- ------------------------------------------------------------ collections
CREATE TABLE collections (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL UNIQUE,
    slug VARCHAR(255) NOT NULL UNIQUE,
    description TEXT,
    color_scheme JSONB, -- {"primary": "#RRGGBB", "accent": "#RRGGBB"}
    thumbnail_url TEXT,
    banner_image_url TEXT,
    -- fix: the document references videos(id) here, before videos exists;
    -- the foreign key is added after the videos table below.
    featured_video_id UUID,
    -- fix: NOT NULL on flags and counters: a NULL flag makes both
    -- `is_active` and `NOT is_active` false, and a NULL counter breaks +1/-1.
    is_active BOOLEAN NOT NULL DEFAULT true,
    sort_order INTEGER,
    video_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP,
    -- fix: slugs appear in URLs: lower-case words joined by single hyphens.
    CONSTRAINT collections_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- fix: the colours are written into style attributes: only #rgb/#rrggbb.
    CONSTRAINT collections_color_scheme_format CHECK (
        color_scheme IS NULL OR (
            jsonb_typeof(color_scheme) = 'object'
            AND color_scheme->>'primary' ~ '^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$'
            AND color_scheme->>'accent' ~ '^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$')),
    CONSTRAINT collections_video_count_nonneg CHECK (video_count >= 0)
);

-- fix: idx_collections_slug is not created: the UNIQUE constraint on slug
-- already has an index, and a second one only costs writes.
CREATE INDEX idx_collections_active ON collections(is_active) WHERE deleted_at IS NULL;

-- ----------------------------------------------------------------- videos
CREATE TABLE videos (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    -- fix: ON DELETE RESTRICT: deleting a collection that still has videos
    -- is refused (the document's "CASCADE/RESTRICT" intent).
    collection_id UUID NOT NULL REFERENCES collections(id) ON DELETE RESTRICT,

    -- Basic Info
    title VARCHAR(500) NOT NULL,
    -- fix: UNIQUE: pages look videos up by slug.
    slug VARCHAR(500) NOT NULL UNIQUE,
    description TEXT,
    release_date DATE,

    -- Video Files (CDN URLs)
    hls_manifest_url TEXT NOT NULL, -- Master HLS playlist URL
    thumbnail_url TEXT NOT NULL,

    -- Qualities Available
    has_480p BOOLEAN NOT NULL DEFAULT false,
    has_720p BOOLEAN NOT NULL DEFAULT false,
    has_1080p BOOLEAN NOT NULL DEFAULT false,
    has_4k BOOLEAN NOT NULL DEFAULT false,

    -- Metadata
    duration_seconds INTEGER,
    file_size_bytes BIGINT,

    -- 2257 Compliance (the publish gate in 003 checks it against video_performers)
    performer_count INTEGER NOT NULL CHECK (performer_count >= 1 AND performer_count <= 10),
    age_verified BOOLEAN NOT NULL DEFAULT false,

    -- Statistics
    view_count BIGINT NOT NULL DEFAULT 0,
    like_count INTEGER NOT NULL DEFAULT 0,
    rating DECIMAL(3,2), -- Average rating, 0..5

    -- Status
    is_featured BOOLEAN NOT NULL DEFAULT false,
    is_published BOOLEAN NOT NULL DEFAULT false,
    published_at TIMESTAMP,

    -- Timestamps
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP,

    CONSTRAINT videos_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- fix: value ranges the document implies but did not enforce.
    CONSTRAINT videos_duration_nonneg CHECK (duration_seconds >= 0),
    CONSTRAINT videos_file_size_nonneg CHECK (file_size_bytes >= 0),
    CONSTRAINT videos_counts_nonneg CHECK (view_count >= 0 AND like_count >= 0),
    CONSTRAINT videos_rating_range CHECK (rating >= 0 AND rating <= 5)
);

-- fix: the foreign key the document put inside CREATE TABLE collections;
-- SET NULL so deleting the featured video does not fail or delete the collection.
ALTER TABLE collections ADD CONSTRAINT collections_featured_video_id_fkey
    FOREIGN KEY (featured_video_id) REFERENCES videos(id) ON DELETE SET NULL;

CREATE INDEX idx_videos_collection ON videos(collection_id) WHERE deleted_at IS NULL;
-- fix: idx_videos_slug is not created: the UNIQUE constraint on slug has its index.
CREATE INDEX idx_videos_published ON videos(is_published, published_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_videos_featured ON videos(is_featured) WHERE is_published = true AND deleted_at IS NULL;
CREATE INDEX idx_videos_release_date ON videos(release_date DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_videos_view_count ON videos(view_count DESC) WHERE deleted_at IS NULL;

-- Full-text search.  The planner uses an expression index only for the very
-- same expression: search queries must write exactly
--   to_tsvector('english', title || ' ' || COALESCE(description, ''))
CREATE INDEX idx_videos_fulltext ON videos USING GIN(to_tsvector('english', title || ' ' || COALESCE(description, '')));
-- Typo tolerance ("did you mean"): trigram similarity on titles (pg_trgm).
CREATE INDEX idx_videos_title_trgm ON videos USING GIN(title gin_trgm_ops);

-- ------------------------------------------------------------- performers
CREATE TABLE performers (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),

    -- Basic Info
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(255) NOT NULL UNIQUE,
    bio TEXT,
    profile_photo_url TEXT,
    cover_photo_url TEXT,

    -- 2257 Compliance (never rendered; checked by the publish gate in 003)
    legal_name VARCHAR(255),
    stage_name VARCHAR(255),
    date_of_birth DATE,

    -- Statistics
    video_count INTEGER NOT NULL DEFAULT 0,

    -- Status
    is_active BOOLEAN NOT NULL DEFAULT true,

    -- Timestamps
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP,

    CONSTRAINT performers_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CONSTRAINT performers_video_count_nonneg CHECK (video_count >= 0)
);

-- fix: idx_performers_slug is not created: the UNIQUE constraint on slug has its index.
CREATE INDEX idx_performers_active ON performers(is_active) WHERE deleted_at IS NULL;
CREATE INDEX idx_performers_video_count ON performers(video_count DESC) WHERE deleted_at IS NULL;
-- Same rule as idx_videos_fulltext: queries must use this exact expression.
CREATE INDEX idx_performers_fulltext ON performers USING GIN(to_tsvector('english', name || ' ' || COALESCE(bio, '')));
CREATE INDEX idx_performers_name_trgm ON performers USING GIN(name gin_trgm_ops);

-- ------------------------------------------------------- video_performers
CREATE TABLE video_performers (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    video_id UUID NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    performer_id UUID NOT NULL REFERENCES performers(id) ON DELETE CASCADE,

    -- Optional: Role or billing order
    billing_order INTEGER CHECK (billing_order >= 1),

    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    UNIQUE(video_id, performer_id)
);

-- fix: (video_id, billing_order) instead of (video_id): the UNIQUE
-- (video_id, performer_id) index already serves plain video_id lookups, while
-- video pages list performers in billing order.
CREATE INDEX idx_video_performers_video ON video_performers(video_id, billing_order);
-- fix: (performer_id, video_id) instead of (performer_id): filmographies and
-- "same performers" lists read the video ids from the index alone.
CREATE INDEX idx_video_performers_performer ON video_performers(performer_id, video_id);

-- ----------------------------------------------------------------- photos
CREATE TABLE photos (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),

    -- Relationships (at least one required)
    video_id UUID REFERENCES videos(id) ON DELETE CASCADE,
    performer_id UUID REFERENCES performers(id) ON DELETE CASCADE,

    -- Photo Info
    photo_type VARCHAR(50) NOT NULL, -- 'video_still', 'behind_scenes', 'performer_photo', 'profile'
    url TEXT NOT NULL,
    thumbnail_url TEXT,
    alt_text VARCHAR(255),

    -- Metadata
    width INTEGER,
    height INTEGER,
    file_size_bytes INTEGER,

    -- Display
    sort_order INTEGER,
    is_primary BOOLEAN NOT NULL DEFAULT false,

    -- Timestamps
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP,

    CONSTRAINT check_photo_relationship CHECK (
        video_id IS NOT NULL OR performer_id IS NOT NULL
    ),
    -- fix: the document lists the photo types only in a comment.
    CONSTRAINT photos_photo_type_check CHECK (
        photo_type IN ('video_still', 'behind_scenes', 'performer_photo', 'profile')),
    CONSTRAINT photos_dimensions_positive CHECK (width > 0 AND height > 0),
    CONSTRAINT photos_file_size_nonneg CHECK (file_size_bytes >= 0)
);

-- fix: (…, sort_order) added to the document's single-column indexes so
-- galleries come out of the index already in display order.
CREATE INDEX idx_photos_video ON photos(video_id, sort_order) WHERE deleted_at IS NULL;
CREATE INDEX idx_photos_performer ON photos(performer_id, sort_order) WHERE deleted_at IS NULL;
CREATE INDEX idx_photos_type ON photos(photo_type) WHERE deleted_at IS NULL;

-- ------------------------------------------------------------------ users
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    email VARCHAR(255) NOT NULL UNIQUE,
    -- fix: the document says bcrypt; Marquee stores libsodium
    -- crypto_pwhash_str (Argon2id) strings, which fit in 255 characters.
    password_hash VARCHAR(255) NOT NULL,

    -- Profile
    username VARCHAR(100) UNIQUE,
    first_name VARCHAR(100),
    last_name VARCHAR(100),

    -- Age Verification Status
    age_verified BOOLEAN NOT NULL DEFAULT false,
    age_verified_at TIMESTAMP,
    age_verification_method VARCHAR(50), -- 'id_upload', 'yoti', 'jumio', 'manual'

    -- Geolocation (for age verification requirements)
    country_code VARCHAR(2),
    state_province VARCHAR(100),

    -- Preferences
    preferred_quality VARCHAR(20) NOT NULL DEFAULT '1080p',
    autoplay_videos BOOLEAN NOT NULL DEFAULT true,

    -- Session
    last_login_at TIMESTAMP,
    last_login_ip VARCHAR(45),

    -- Status
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_verified BOOLEAN NOT NULL DEFAULT false,
    email_verified_at TIMESTAMP,

    -- Timestamps
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP,

    -- fix: the qualities the player offers (has_480p … has_4k).
    CONSTRAINT users_preferred_quality_check CHECK (
        preferred_quality IN ('480p', '720p', '1080p', '4k')),
    CONSTRAINT users_country_code_format CHECK (country_code ~ '^[A-Z]{2}$')
);

-- fix: idx_users_email and idx_users_username are not created: the UNIQUE
-- constraints on email and username already have these indexes.
-- fix: e-mail addresses are unique whatever their case, so Foo@x and foo@x
-- cannot become two accounts; login looks up lower(email).
CREATE UNIQUE INDEX idx_users_email_lower ON users(lower(email));
CREATE INDEX idx_users_active ON users(is_active) WHERE deleted_at IS NULL;

-- ---------------------------------------------------------- subscriptions
CREATE TABLE subscriptions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Plan Info
    plan_name VARCHAR(50) NOT NULL, -- plan key from the configuration: 'monthly', 'annual'
    billing_amount DECIMAL(10,2) NOT NULL,
    billing_currency VARCHAR(3) DEFAULT 'USD',
    billing_cycle VARCHAR(20), -- 'monthly', 'yearly'

    -- Status
    status VARCHAR(20) NOT NULL, -- 'active', 'canceled', 'past_due', 'expired'

    -- Dates
    started_at TIMESTAMP NOT NULL,
    current_period_start TIMESTAMP NOT NULL,
    current_period_end TIMESTAMP NOT NULL,
    canceled_at TIMESTAMP,
    canceled_reason TEXT,

    -- Next Billing
    next_billing_at TIMESTAMP,

    -- Payment Info (tokenized)
    payment_method_token VARCHAR(255),
    last_4_digits VARCHAR(4),

    -- Timestamps
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    -- fix: the state machine's states, listed by the document only in a comment.
    CONSTRAINT subscriptions_status_check CHECK (
        status IN ('active', 'canceled', 'past_due', 'expired')),
    -- fix: plans come from the configuration, so their names are checked for
    -- shape, not against a fixed list; the cycle is one of two.
    CONSTRAINT subscriptions_plan_name_format CHECK (plan_name ~ '^[a-z0-9][a-z0-9_-]*$'),
    CONSTRAINT subscriptions_billing_cycle_check CHECK (billing_cycle IN ('monthly', 'yearly')),
    CONSTRAINT subscriptions_billing_amount_nonneg CHECK (billing_amount >= 0),
    CONSTRAINT subscriptions_currency_format CHECK (billing_currency ~ '^[A-Z]{3}$'),
    CONSTRAINT subscriptions_last4_format CHECK (last_4_digits ~ '^[0-9]{4}$'),
    CONSTRAINT subscriptions_period_order CHECK (current_period_end >= current_period_start)
);

CREATE INDEX idx_subscriptions_user ON subscriptions(user_id);
CREATE INDEX idx_subscriptions_status ON subscriptions(status) WHERE status = 'active';
CREATE INDEX idx_subscriptions_next_billing ON subscriptions(next_billing_at) WHERE status = 'active';

-- ----------------------------------------------------- social_media_links
CREATE TABLE social_media_links (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    performer_id UUID NOT NULL REFERENCES performers(id) ON DELETE CASCADE,

    platform VARCHAR(50) NOT NULL, -- 'instagram', 'twitter', 'onlyfans', 'tiktok', 'custom'
    handle VARCHAR(255) NOT NULL,
    url TEXT,
    icon_url TEXT,

    sort_order INTEGER,
    is_verified BOOLEAN NOT NULL DEFAULT false,

    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    UNIQUE(performer_id, platform),
    -- fix: the platforms the document lists only in a comment.
    CONSTRAINT social_media_links_platform_check CHECK (
        platform IN ('instagram', 'twitter', 'onlyfans', 'tiktok', 'custom'))
);

-- fix: (performer_id, sort_order) instead of (performer_id): the UNIQUE
-- (performer_id, platform) index already serves plain performer_id lookups;
-- this one returns a performer's links in display order.
CREATE INDEX idx_social_media_performer ON social_media_links(performer_id, sort_order);

-- ----------------------------------------------------- user_watch_history
CREATE TABLE user_watch_history (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    video_id UUID NOT NULL REFERENCES videos(id) ON DELETE CASCADE,

    watched_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    watch_position_seconds INTEGER NOT NULL DEFAULT 0,
    completed_percentage DECIMAL(5,2),
    completed BOOLEAN NOT NULL DEFAULT false,

    UNIQUE(user_id, video_id),
    CONSTRAINT user_watch_history_position_nonneg CHECK (watch_position_seconds >= 0),
    CONSTRAINT user_watch_history_percentage_range CHECK (
        completed_percentage >= 0 AND completed_percentage <= 100)
);

-- fix: (user_id, watched_at DESC) instead of (user_id): the UNIQUE
-- (user_id, video_id) index already serves user_id lookups; "continue
-- watching" and the history page read a member's latest entries first.
CREATE INDEX idx_watch_history_user ON user_watch_history(user_id, watched_at DESC);
CREATE INDEX idx_watch_history_video ON user_watch_history(video_id);
CREATE INDEX idx_watch_history_watched_at ON user_watch_history(watched_at DESC);

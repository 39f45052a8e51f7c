
CREATE TABLE public.action (
    id integer NOT NULL,
    campaign_id integer NOT NULL,
    operator text NOT NULL,
    kind text NOT NULL,
    summary text NOT NULL,
    created_at timestamp without time zone NOT NULL,
    undone_at timestamp without time zone,
    undone_by text
);

CREATE TABLE public.action_change (
    action_id integer NOT NULL,
    order_id integer NOT NULL,
    status text NOT NULL,
    shipped_on date,
    carrier text NOT NULL,
    tracking_number text NOT NULL,
    tracking_url text NOT NULL,
    version integer NOT NULL
);

CREATE SEQUENCE public.action_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.action_id_seq OWNED BY public.action.id;

CREATE TABLE public.campaign (
    id integer NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    reminder_delay_days integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    reminder_subject_template text,
    reminder_body_template text
);

CREATE SEQUENCE public.campaign_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.campaign_id_seq OWNED BY public.campaign.id;

CREATE TABLE public.column_mapping (
    id integer NOT NULL,
    kind text NOT NULL,
    header_signature text NOT NULL,
    mapping text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by text NOT NULL
);

CREATE SEQUENCE public.column_mapping_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.column_mapping_id_seq OWNED BY public.column_mapping.id;

CREATE TABLE public.member (
    id integer NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    address_line1 text NOT NULL,
    address_line2 text NOT NULL,
    city text NOT NULL,
    region text NOT NULL,
    postal_code text NOT NULL,
    country text NOT NULL,
    locale text NOT NULL
);

CREATE SEQUENCE public.member_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.member_id_seq OWNED BY public.member.id;

CREATE TABLE public.orders (
    id integer NOT NULL,
    campaign_id integer NOT NULL,
    member_id integer NOT NULL,
    product_id integer NOT NULL,
    quantity integer NOT NULL,
    order_key text NOT NULL,
    status text NOT NULL,
    shipped_on date,
    carrier text NOT NULL,
    tracking_number text NOT NULL,
    tracking_url text NOT NULL,
    version integer NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by text NOT NULL
);

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;

CREATE TABLE public.product (
    id integer NOT NULL,
    name text NOT NULL,
    sku text NOT NULL
);

CREATE SEQUENCE public.product_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.product_id_seq OWNED BY public.product.id;

CREATE TABLE public.reminder (
    id integer NOT NULL,
    order_id integer NOT NULL,
    kind text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    message_id text NOT NULL,
    status text NOT NULL,
    send_after timestamp without time zone NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp without time zone,
    last_error text NOT NULL,
    sent_at timestamp without time zone,
    lease_owner text,
    lease_expires_at timestamp without time zone,
    queued_by_id integer,
    queued_at timestamp without time zone NOT NULL
);

CREATE SEQUENCE public.reminder_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reminder_id_seq OWNED BY public.reminder.id;

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    applied_at timestamp without time zone NOT NULL,
    fresh boolean NOT NULL
);

ALTER TABLE ONLY public.action ALTER COLUMN id SET DEFAULT nextval('public.action_id_seq'::regclass);

ALTER TABLE ONLY public.campaign ALTER COLUMN id SET DEFAULT nextval('public.campaign_id_seq'::regclass);

ALTER TABLE ONLY public.column_mapping ALTER COLUMN id SET DEFAULT nextval('public.column_mapping_id_seq'::regclass);

ALTER TABLE ONLY public.member ALTER COLUMN id SET DEFAULT nextval('public.member_id_seq'::regclass);

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);

ALTER TABLE ONLY public.product ALTER COLUMN id SET DEFAULT nextval('public.product_id_seq'::regclass);

ALTER TABLE ONLY public.reminder ALTER COLUMN id SET DEFAULT nextval('public.reminder_id_seq'::regclass);

ALTER TABLE ONLY public.action_change
    ADD CONSTRAINT action_change_pkey PRIMARY KEY (action_id, order_id);

ALTER TABLE ONLY public.action
    ADD CONSTRAINT action_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.campaign
    ADD CONSTRAINT campaign_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.column_mapping
    ADD CONSTRAINT column_mapping_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.member
    ADD CONSTRAINT member_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.product
    ADD CONSTRAINT product_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.reminder
    ADD CONSTRAINT reminder_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);

CREATE INDEX action_campaign_id_operator_undone_at ON public.action USING btree (campaign_id, operator, undone_at);

CREATE INDEX action_change_order_id ON public.action_change USING btree (order_id);

CREATE UNIQUE INDEX campaign_slug ON public.campaign USING btree (slug);

CREATE UNIQUE INDEX column_mapping_kind_header_signature ON public.column_mapping USING btree (kind, header_signature);

CREATE UNIQUE INDEX member_email ON public.member USING btree (email);

CREATE UNIQUE INDEX orders_campaign_id_order_key ON public.orders USING btree (campaign_id, order_key);

CREATE INDEX orders_campaign_id_status ON public.orders USING btree (campaign_id, status);

CREATE INDEX orders_member_id ON public.orders USING btree (member_id);

CREATE INDEX orders_product_id ON public.orders USING btree (product_id);

CREATE UNIQUE INDEX product_sku ON public.product USING btree (sku);

CREATE UNIQUE INDEX reminder_message_id ON public.reminder USING btree (message_id);

CREATE UNIQUE INDEX reminder_order_id_kind ON public.reminder USING btree (order_id, kind);

CREATE INDEX reminder_queued_by_id ON public.reminder USING btree (queued_by_id);

CREATE INDEX reminder_status_send_after ON public.reminder USING btree (status, send_after);

ALTER TABLE ONLY public.action
    ADD CONSTRAINT action_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaign(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.action_change
    ADD CONSTRAINT action_change_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.action(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.action_change
    ADD CONSTRAINT action_change_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaign(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.member(id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.product(id);

ALTER TABLE ONLY public.reminder
    ADD CONSTRAINT reminder_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.reminder
    ADD CONSTRAINT reminder_queued_by_id_fkey FOREIGN KEY (queued_by_id) REFERENCES public.action(id) ON DELETE SET NULL;


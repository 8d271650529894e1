/*
 * gen.c - deterministic benchmark inputs (see gen.h). Everything random
 * comes from one splitmix64 stream per call, seeded by the caller; the
 * traditional forms come from OpenCC's s2t conversion of the simplified
 * vocabulary and templates, done once in gen_init().
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <opencc/opencc.h>
#include "gen.h"

/* ---- random numbers ---------------------------------------------------- */

static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t rnd(uint64_t *s, size_t n)
{
    return n ? (size_t)(next_u64(s) % n) : 0;
}

static double rnd01(uint64_t *s)
{
    return (double)(next_u64(s) >> 11) / 9007199254740992.0;
}

/* ---- vocabulary ---------------------------------------------------------- */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const zh_med[] = {
    "阿莫西林", "布洛芬", "对乙酰氨基酚", "头孢克肟", "头孢拉定", "阿奇霉素", "罗红霉素",
    "左氧氟沙星", "甲硝唑", "奥美拉唑", "雷贝拉唑", "蒙脱石散", "连花清瘟", "板蓝根",
    "感冒灵", "维生素C", "钙片", "鱼油", "二甲双胍", "硝苯地平", "氨氯地平", "阿托伐他汀",
    "阿司匹林", "氯雷他定", "西替利嗪", "复方甘草片", "川贝枇杷膏", "藿香正气水",
    "六味地黄丸", "健胃消食片", "双黄连口服液", "布地奈德", "沙丁胺醇", "红霉素软膏",
    "莫匹罗星", "达克宁", "云南白药", "创可贴", "碘伏", "酒精棉片", "医用口罩", "血压计",
    "血糖试纸", "体温计", "益生菌", "蛋白粉", "褪黑素", "叶酸", "复合维生素", "氨糖",
    "胰岛素", "华法林", "地塞米松", "泼尼松", "氢化可的松", "头孢呋辛", "克拉霉素",
    "诺氟沙星", "小柴胡颗粒", "止咳糖浆", "开塞露", "滴眼液", "人工泪液", "降压药",
    "退烧药", "消炎药", "感冒药", "止痛药", "美林", "泰诺", "芬必得", "扶他林", "息斯敏",
    "吗丁啉", "多潘立酮", "思密达", "金嗓子喉片", "西瓜霜", "牛黄解毒片", "三九胃泰",
    "乳酸菌素片", "葡萄糖酸钙", "硫酸亚铁", "维生素D", "鱼肝油", "阿胶", "西洋参",
    "铁皮石斛", "氯沙坦", "缬沙坦",
};
static const char *const zh_form[] = {
    "胶囊", "片", "颗粒", "口服液", "糖浆", "软膏", "乳膏", "滴剂", "喷雾剂", "缓释片",
    "混悬液", "注射液", "贴剂", "丸", "分散片",
};
static const char *const zh_sym[] = {
    "头晕", "头痛", "恶心", "呕吐", "腹泻", "拉肚子", "皮疹", "起红疹", "起疹子", "瘙痒",
    "全身发痒", "过敏", "心慌", "心悸", "胸闷", "呼吸困难", "失眠", "嗜睡", "口干", "便秘",
    "胃痛", "肚子疼", "发烧", "发热", "水肿", "眼睛肿", "嘴唇肿", "手抖", "出冷汗", "乏力",
    "没力气", "视力模糊", "耳鸣", "咳嗽加重", "喉咙痛", "脱皮", "红肿", "荨麻疹", "胃出血",
    "黑便", "抽筋", "腿软", "血压升高", "低血糖", "心跳加快", "晕倒", "昏迷", "休克", "抽搐",
    "脸发红", "手脚发麻", "刺痛", "灼热感", "口腔溃疡", "流鼻血", "月经紊乱", "掉头发",
    "关节痛", "肌肉酸痛", "食欲不振", "反酸", "烧心", "腹胀", "头昏眼花", "浑身难受",
    "一直吐", "吃不下饭", "嗓子哑", "眼睛发黄", "尿频",
};
static const char *const zh_def[] = {
    "漏液", "发霉", "变质", "过期", "已经过期", "临期", "包装破损", "盒子压坏", "瓶盖松了",
    "封口破了", "没有封口", "药片碎了", "颗粒结块", "有异味", "有怪味", "颜色不对", "有异物",
    "有头发", "有虫子", "批号不一致", "生产日期模糊", "没有说明书", "说明书缺失", "假药",
    "假货", "山寨货", "以次充好", "数量不对", "少了一盒", "少发", "发错货", "规格不对",
    "药丸粘在一起", "胶囊破裂", "液体浑浊", "有沉淀", "瓶子裂了", "标签贴歪", "防伪码查不到",
    "二维码扫不出", "剂量不对", "变色", "受潮", "融化了", "保质期被涂改", "外包装被拆过",
    "二手货", "不是正品", "没效果", "一点用都没有",
};
static const char *const zh_svc[] = {
    "态度恶劣", "态度很差", "爱答不理", "不耐烦", "骂人", "翻白眼", "推卸责任", "踢皮球",
    "不给退", "拒绝退货", "不给开发票", "乱收费", "多收钱", "价格欺诈", "强制搭售",
    "推销保健品", "一直不回复", "电话打不通", "没人接电话", "让我一直排队", "等了一个小时",
    "配送太慢", "把快递弄丢了", "送错地址", "说药师不在", "没有药师", "不给处方药",
    "不肯解释", "答非所问", "敷衍了事", "虚假宣传", "夸大疗效", "刷不了医保卡", "少找钱",
    "清空了积分", "优惠券不能用", "说缺货", "提前关门", "算错账", "不让退", "让我自己承担",
    "挂我电话", "没有回访", "拖着不处理", "互相推诿",
};
static const char *const zh_ref[] = {
    "退款", "退货", "退钱", "全额退款", "赔偿", "三倍赔偿", "十倍赔偿", "退一赔三", "换货",
    "补发", "给个说法", "道歉", "赔礼道歉", "报销医药费", "承担医药费", "精神损失费", "误工费",
    "退运费", "原路退回", "尽快处理",
};
static const char *const zh_thr[] = {
    "投诉到药监局", "打12315", "打12345", "报警", "起诉你们", "告你们", "找律师", "曝光你们",
    "发到网上", "找媒体", "发微博", "发抖音", "找记者", "找市场监管局", "找消协", "找卫健委",
    "去店里闹", "拉横幅", "给差评", "再也不来了", "找你们老板", "上法院", "法院见", "维权到底",
};
/* Words of the record templates that rules use as triggers too. */
static const char *const zh_ctx[] = {
    "吃了以后", "服用后", "孩子", "店员", "客服", "药师", "配送员", "订单号", "单号", "电话",
    "要求", "不处理", "收到的药", "打开发现", "门店", "网店", "药房", "买的", "药品", "否则",
};
static const char *const zh_time[] = {
    "昨天", "前天", "上周", "今天上午", "三天前", "上个月", "周末", "前几天", "刚才",
};
static const char *const zh_place[] = {
    "你们门店", "你们网店", "贵店", "你们药房", "旗舰店", "外卖平台", "你们App", "小程序",
    "连锁店", "社区店",
};
static const char *const zh_fill[] = {
    "真的太失望了", "希望尽快回复我", "麻烦看一下", "谢谢", "这已经是第二次了", "请认真对待",
    "我等你们电话", "家里还有老人",
};
static const char *const zh_t_buy[] = {
    "{T}在{P}买的{M}{F}", "{T}从{P}买了{M}{F}", "在{P}买的{M}", "{T}买的{M}{F}",
    "{T}在{P}给孩子买了{M}",
};
static const char *const zh_t_adr[] = {
    "吃了以后{S}", "服用后出现{S}", "吃了两天就{S}", "用了一次就{S}和{S}", "喝完就{S}",
    "孩子吃了{S}", "现在{S}，还{S}", "吃完半小时{S}",
};
static const char *const zh_t_def[] = {
    "收到的药{D}", "打开发现{D}", "药品{D}", "{M}{D}", "发现{D}",
};
static const char *const zh_t_svc[] = {
    "店员{V}", "客服{V}", "药师{V}", "你们{V}", "配送员{V}",
};
static const char *const zh_t_ref[] = { "要求{R}", "必须{R}", "请尽快{R}", "我要{R}" };
static const char *const zh_t_thr[] = {
    "不处理就{X}", "否则我就{X}", "再不解决就{X}", "我会{X}",
};
static const char *const zh_t_num[] = {
    "订单号{O}", "订单号：{O}", "我的电话{H}", "单号{O}", "联系电话{H}",
};
static const char *const zh_t_neg[] = { "没有{S}", "不是{D}", "万一{S}怎么办", "并没有{S}" };

static const char *const en_med[] = {
    "amoxicillin", "ibuprofen", "acetaminophen", "paracetamol", "tylenol", "advil", "aspirin",
    "cetirizine", "loratadine", "omeprazole", "metformin", "lisinopril", "atorvastatin",
    "vitamin c", "vitamin d", "fish oil", "cough syrup", "eye drops", "insulin", "melatonin",
    "probiotics", "antibiotics", "allergy pills", "nasal spray", "hydrocortisone cream",
    "naproxen", "benadryl", "zyrtec", "claritin", "multivitamin",
};
static const char *const en_form[] = {
    "tablets", "capsules", "syrup", "cream", "drops", "spray", "gummies", "pills",
};
static const char *const en_sym[] = {
    "rash", "hives", "itching", "dizziness", "nausea", "vomiting", "diarrhea", "headache",
    "stomach pain", "swelling", "swollen lips", "shortness of breath", "chest pain",
    "palpitations", "insomnia", "drowsiness", "blurred vision", "fever", "fainting", "a seizure",
    "numbness", "heartburn", "tinnitus", "nosebleeds", "muscle cramps", "hair loss", "dry mouth",
    "blisters", "a racing heart", "chills",
};
static const char *const en_def[] = {
    "leaking", "moldy", "expired", "unsealed", "crushed", "discolored", "contaminated",
    "torn open", "short-dated", "counterfeit", "mislabeled", "half empty", "sticky", "melted",
    "cracked", "smelly", "the wrong strength", "missing the leaflet", "a fake product",
    "past the expiry date",
};
static const char *const en_svc[] = {
    "rude staff", "rude pharmacist", "no reply from support", "nobody answers the phone",
    "waited two hours", "overcharged", "charged twice", "refused refund", "late delivery",
    "lost package", "wrong address", "no pharmacist on duty", "hidden fees", "long queue",
    "unhelpful clerk", "wrong change", "hung up on me", "false advertising",
};
static const char *const en_ref[] = {
    "refund", "full refund", "money back", "compensation", "replacement", "reimbursement",
    "chargeback", "store credit", "apology",
};
static const char *const en_thr[] = {
    "report you", "sue you", "call my lawyer", "call the police", "contact the media",
    "post online", "leave a bad review", "file a complaint with the fda",
    "go to small claims court", "tell everyone", "contact the attorney general",
};
static const char *const en_ctx[] = {
    "after taking", "my kid", "staff", "counter", "order number", "call me", "i want",
    "demand", "or i will", "bought", "ordered", "the bottle", "the package", "pharmacy",
};
static const char *const en_time[] = {
    "yesterday", "last week", "this morning", "three days ago", "last month", "on sunday",
};
static const char *const en_place[] = {
    "store", "online shop", "pharmacy", "website", "app", "downtown branch",
};
static const char *const en_fill[] = {
    "this is unacceptable", "please call me back", "very disappointed", "thanks",
    "second time this happened",
};
static const char *const en_t_buy[] = {
    "I bought {M} {F} at your {P} {T}", "got {M} {F} from your {P}", "ordered {M} {T}",
    "picked up {M} at your {P}",
};
static const char *const en_t_adr[] = {
    "after taking it I got {S}", "it gave me {S}", "my kid had {S} after one dose",
    "now I have {S} and {S}", "I woke up with {S}",
};
static const char *const en_t_def[] = {
    "the bottle was {D}", "the package arrived {D}", "the pills were {D}", "it was {D}",
};
static const char *const en_t_svc[] = { "{V} at the counter", "{V} again", "complaint: {V}" };
static const char *const en_t_ref[] = { "I want a {R}", "demand {R}", "give me a {R}" };
static const char *const en_t_thr[] = { "or I will {X}", "next step: I {X}" };
static const char *const en_t_num[] = { "order #{O}", "order number {O}", "call me at {H}" };
static const char *const en_t_neg[] = { "no {S} though", "not {D}", "what if I get {S}" };

/* A list of simplified strings and, once gen_init() ran, their traditional forms. */
struct list {
    const char *const *zh;
    size_t n;
    char **tw;
};

#define LIST(a) { a, N_OF(a), NULL }
enum {
    L_MED, L_FORM, L_SYM, L_DEF, L_SVC, L_REF, L_THR, L_TIME, L_PLACE, L_FILL,
    L_BUY, L_ADR, L_TDEF, L_TSVC, L_TREF, L_TTHR, L_NUM, L_NEG, L_COUNT
};
static struct list zh[L_COUNT] = {
    LIST(zh_med), LIST(zh_form), LIST(zh_sym), LIST(zh_def), LIST(zh_svc), LIST(zh_ref),
    LIST(zh_thr), LIST(zh_time), LIST(zh_place), LIST(zh_fill), LIST(zh_t_buy),
    LIST(zh_t_adr), LIST(zh_t_def), LIST(zh_t_svc), LIST(zh_t_ref), LIST(zh_t_thr),
    LIST(zh_t_num), LIST(zh_t_neg),
};
static struct list en[L_COUNT] = {
    LIST(en_med), LIST(en_form), LIST(en_sym), LIST(en_def), LIST(en_svc), LIST(en_ref),
    LIST(en_thr), LIST(en_time), LIST(en_place), LIST(en_fill), LIST(en_t_buy),
    LIST(en_t_adr), LIST(en_t_def), LIST(en_t_svc), LIST(en_t_ref), LIST(en_t_thr),
    LIST(en_t_num), LIST(en_t_neg),
};

int gen_init(void)
{
    opencc_t cc = opencc_open("s2t.json");
    size_t l, i;

    if (cc == (opencc_t)-1) {
        fprintf(stderr, "gen: OpenCC s2t.json not found\n");
        return -1;
    }
    for (l = 0; l < L_COUNT; l++) {
        zh[l].tw = calloc(zh[l].n, sizeof *zh[l].tw);
        if (zh[l].tw == NULL)
            return -1;
        for (i = 0; i < zh[l].n; i++) {
            char *t = opencc_convert_utf8(cc, zh[l].zh[i], strlen(zh[l].zh[i]));

            if (t == NULL)
                return -1;
            zh[l].tw[i] = strdup(t);
            opencc_convert_utf8_free(t);
            if (zh[l].tw[i] == NULL)
                return -1;
        }
    }
    opencc_close(cc);
    return 0;
}

void gen_done(void)
{
    size_t l, i;

    for (l = 0; l < L_COUNT; l++) {
        for (i = 0; zh[l].tw != NULL && i < zh[l].n; i++)
            free(zh[l].tw[i]);
        free(zh[l].tw);
        zh[l].tw = NULL;
    }
}

static const char *pick(const struct list *L, int trad, uint64_t *s)
{
    size_t i = rnd(s, L->n);

    return trad && L->tw ? L->tw[i] : L->zh[i];
}

/* ---- records -------------------------------------------------------------- */

struct sbuf {
    char b[512];
    size_t n;
};

static void sb_add(struct sbuf *sb, const char *s, size_t n)
{
    if (sb->n + n >= sizeof sb->b)
        n = sizeof sb->b - 1 - sb->n;
    memcpy(sb->b + sb->n, s, n);
    sb->n += n;
    sb->b[sb->n] = '\0';
}

static void sb_str(struct sbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

static void digits(struct sbuf *sb, size_t n, uint64_t *s)
{
    char d[32];
    size_t i;

    for (i = 0; i < n && i < sizeof d; i++)
        d[i] = (char)('0' + rnd(s, 10));
    sb_add(sb, d, i);
}

/* Expand one template: {M} medicine, {F} form (zh: sometimes none), ... */
static void expand(struct sbuf *out, const char *tpl, const struct list *L, int trad,
                   int english, uint64_t *s)
{
    static const char *const order_pfx[] = { "JD", "TB", "MT", "" };
    const char *p = tpl;

    while (*p) {
        if (p[0] == '{' && p[1] && p[2] == '}') {
            switch (p[1]) {
            case 'M': sb_str(out, pick(&L[L_MED], trad, s)); break;
            case 'F':
                if (english || rnd(s, 2))
                    sb_str(out, pick(&L[L_FORM], trad, s));
                break;
            case 'S': sb_str(out, pick(&L[L_SYM], trad, s)); break;
            case 'D': sb_str(out, pick(&L[L_DEF], trad, s)); break;
            case 'V': sb_str(out, pick(&L[L_SVC], trad, s)); break;
            case 'R': sb_str(out, pick(&L[L_REF], trad, s)); break;
            case 'X': sb_str(out, pick(&L[L_THR], trad, s)); break;
            case 'T': sb_str(out, pick(&L[L_TIME], trad, s)); break;
            case 'P': sb_str(out, pick(&L[L_PLACE], trad, s)); break;
            case 'O':
                if (english) {
                    digits(out, 8 + rnd(s, 3), s);
                } else {
                    sb_str(out, order_pfx[rnd(s, 4)]);
                    digits(out, 10 + rnd(s, 4), s);
                }
                break;
            case 'H':
                if (english) {
                    sb_str(out, "555");
                    digits(out, 7, s);
                } else {
                    char c[2] = { (char)('3' + rnd(s, 7)), 0 };

                    sb_str(out, "1");
                    sb_str(out, c);
                    digits(out, 9, s);
                }
                break;
            default: sb_add(out, p, 3); break;
            }
            p += 3;
        } else {
            sb_add(out, p, 1);
            p++;
        }
    }
}

static void one_record(struct sbuf *out, int lang, uint64_t *s)
{
    const struct list *L = lang == GEN_EN ? en : zh;
    int trad = lang == GEN_ZH_HANT, english = lang == GEN_EN;
    const char *sep = english ? ", " : "，";
    int order[8], n = 0, i, k, problems;
    struct sbuf clause;

    /* The clauses, in order: purchase, 1-2 problems, negated aside, refund,
     * threat, order or phone number. */
    if (rnd01(s) < 0.9)
        order[n++] = L_BUY;
    problems = 1 + (rnd01(s) < 0.4);
    for (k = 0; k < problems; k++) {
        double u = rnd01(s);

        order[n++] = u < 0.35 ? L_ADR : u < 0.7 ? L_TDEF : L_TSVC;
    }
    if (rnd01(s) < 0.10)
        order[n++] = L_NEG;
    if (rnd01(s) < 0.5)
        order[n++] = L_TREF;
    if (rnd01(s) < 0.25)
        order[n++] = L_TTHR;
    if (rnd01(s) < 0.35)
        order[n++] = L_NUM;
    out->n = 0;
    out->b[0] = '\0';
    for (i = 0; i < n; i++) {
        clause.n = 0;
        expand(&clause, pick(&L[order[i]], trad, s), L, trad, english, s);
        if (out->n > 0 && out->n + clause.n + 3 > 118)
            continue;   /* keep records near 100 bytes */
        if (out->n > 0)
            sb_str(out, sep);
        sb_add(out, clause.b, clause.n);
    }
    for (k = 0; k < 3 && out->n < 72; k++) {
        sb_str(out, sep);
        sb_str(out, pick(&L[L_FILL], trad, s));
    }
    if (english && out->b[0] >= 'a' && out->b[0] <= 'z')
        out->b[0] = (char)(out->b[0] - 'a' + 'A');
    {
        static const char *const zend[] = { "。", "！", "！！", "？" };
        static const char *const eend[] = { ".", "!", "!!", "." };

        sb_str(out, english ? eend[rnd(s, 4)] : zend[rnd(s, 4)]);
    }
}

int gen_records_make(struct gen_records *r, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    size_t cap = n * 128 + 1024, i;
    struct sbuf b;

    memset(r, 0, sizeof *r);
    r->data = malloc(cap);
    r->off = malloc((n + 1) * sizeof *r->off);
    r->len = malloc((n + 1) * sizeof *r->len);
    r->lang = malloc(n + 1);
    if (r->data == NULL || r->off == NULL || r->len == NULL || r->lang == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        double u = rnd01(&s);
        int lang = u < 0.70 ? GEN_ZH_HANS : u < 0.85 ? GEN_ZH_HANT : GEN_EN;

        one_record(&b, lang, &s);
        if (r->bytes + b.n + 1 > cap) {
            char *p;

            cap *= 2;
            p = realloc(r->data, cap);
            if (p == NULL)
                return -1;
            r->data = p;
        }
        memcpy(r->data + r->bytes, b.b, b.n);
        r->data[r->bytes + b.n] = '\0';
        r->off[i] = r->bytes;
        r->len[i] = (uint32_t)b.n;
        r->lang[i] = (unsigned char)lang;
        r->bytes += b.n + 1;
    }
    r->n = n;
    return 0;
}

void gen_records_free(struct gen_records *r)
{
    free(r->data);
    free(r->off);
    free(r->len);
    free(r->lang);
    memset(r, 0, sizeof *r);
}

static void json_str(FILE *f, const char *s, size_t n)
{
    size_t i;

    fputc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int write_jsonl(const struct gen_records *r, const char *path, size_t customers)
{
    FILE *f = fopen(path, "w");
    size_t i;
    static char buf[1 << 20];

    if (f == NULL)
        return -1;
    setvbuf(f, buf, _IOFBF, sizeof buf);
    for (i = 0; i < r->n; i++) {
        fprintf(f, "{\"id\":\"r%07zu\",", i);
        if (customers > 0)   /* a multiplicative hash spreads each one's visits */
            fprintf(f, "\"date\":\"2026-%02zu-%02zu\",\"customer\":\"138%08zu\",",
                    1 + i * 12 / r->n, 1 + i % 28,
                    (size_t)((i * 2654435761u) % customers));
        fputs("\"text\":", f);
        json_str(f, r->data + r->off[i], r->len[i]);
        fputs("}\n", f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int gen_records_write_jsonl(const struct gen_records *r, const char *path)
{
    return write_jsonl(r, path, 0);
}

int gen_records_write_jsonl_customers(const struct gen_records *r, const char *path,
                                      size_t customers)
{
    return write_jsonl(r, path, customers);
}

/* ---- patterns and rule sets ------------------------------------------ */

enum cat { C_MED, C_SYM, C_DEF, C_SVC, C_REF, C_THR, C_CTX, C_COUNT };

struct cand {
    char *src;
    int cat;
};

struct pool {
    struct cand *v;
    size_t n, cap, next;
};

/* Every string added anywhere, to keep patterns distinct. */
struct strset {
    char **slot;
    size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static int set_add(struct strset *set, const char *s)
{
    size_t i;

    if (set->n * 2 >= set->cap) {
        struct strset bigger = { NULL, set->cap ? set->cap * 2 : 4096, 0 };

        bigger.slot = calloc(bigger.cap, sizeof *bigger.slot);
        if (bigger.slot == NULL)
            return -1;
        for (i = 0; i < set->cap; i++)
            if (set->slot[i] != NULL)
                set_add(&bigger, set->slot[i]);
        free(set->slot);
        *set = bigger;
    }
    for (i = hash_str(s) & (set->cap - 1); set->slot[i] != NULL; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slot[i], s) == 0)
            return 0;
    set->slot[i] = (char *)s;
    set->n++;
    return 1;
}

static void pool_add(struct pool *p, struct strset *set, const char *s, int cat)
{
    char *c = strdup(s), *q;

    if (c == NULL)
        return;
    for (q = c; *q; q++)        /* patterns are written folded: lower case */
        *q = (char)tolower((unsigned char)*q);
    if (set_add(set, c) != 1) {
        free(c);
        return;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (p->v == NULL)
            abort();
    }
    p->v[p->n].src = c;
    p->v[p->n].cat = cat;
    p->n++;
}

static void pool_shuffle(struct pool *p, uint64_t *s)
{
    size_t i;

    for (i = p->n; i > 1; i--) {
        size_t j = rnd(s, i);
        struct cand t = p->v[i - 1];

        p->v[i - 1] = p->v[j];
        p->v[j] = t;
    }
}

static void pool_free(struct pool *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        free(p->v[i].src);
    free(p->v);
}

static void cat2(char *out, size_t n, const char *a, const char *b, const char *c)
{
    snprintf(out, n, "%s%s%s", a, b, c);
}

/* Regex-escape a term inserted in a regex (none of ours needs it today). */
static void rx_term(char *out, size_t n, const char *t)
{
    size_t o = 0;

    for (; *t && o + 3 < n; t++) {
        if (strchr(".()[]{}*+?|^$\\/#", *t))
            out[o++] = '\\';
        out[o++] = (char)tolower((unsigned char)*t);
    }
    out[o] = '\0';
}

static const int zh_cat[] = { C_MED, -1, C_SYM, C_DEF, C_SVC, C_REF, C_THR };

/*
 * The candidate pools:
 *   common: the vocabulary itself (found in many records),
 *   tail:   compounds the record templates can produce (found now and then),
 *   rare:   compounds the templates never put side by side (rarely found),
 * and regexes: a few frequent ones, medicine-near-symptom groups, pairs.
 */
static void build_pools(struct pool *common, struct pool *tail, struct pool *rare,
                        struct pool *rx_hot, struct pool *rx_mid, struct pool *rx_rare,
                        struct strset *set, uint64_t *s)
{
    static const char *const hot[] = {
        "订单号(:|：)?\\s*[a-z]{0,2}[0-9]{10,13}", "单号[a-z]{2}[0-9]{10}", "1[3-9][0-9]{9}",
        "(退款|退货|退钱).{0,10}(赔偿|道歉)", "(投诉|举报)到?(药监局|市场监管局|消协)",
        "打(12315|12345)", "(三倍|十倍)赔偿",
        "(吃|服用|用)了?(以后|后|两天).{0,6}(头晕|恶心|呕吐|皮疹)",
        "(店员|客服|药师).{0,4}(恶劣|很差|不耐烦)", "(过期|发霉|变质|漏液)了",
        "order (#|number )?[0-9]{8,10}", "555[0-9]{7}",
        "(refund|money back).{0,20}(now|immediately|asap)", "(sue|report) you",
        "after taking .{0,30}(rash|dizz|nause)",
    };
    char b[512], t1[128], t2[128], t3[128];
    size_t i, j, k;
    int l;

    for (l = 0; l < L_TIME; l++) {
        if (zh_cat[l] < 0)
            continue;
        for (i = 0; i < zh[l].n; i++)
            pool_add(common, set, zh[l].zh[i], zh_cat[l]);
        for (i = 0; i < en[l].n; i++)
            pool_add(common, set, en[l].zh[i], zh_cat[l]);
    }
    for (i = 0; i < N_OF(zh_ctx); i++)
        pool_add(common, set, zh_ctx[i], C_CTX);
    for (i = 0; i < N_OF(en_ctx); i++)
        pool_add(common, set, en_ctx[i], C_CTX);
    /* Compounds of the templates. */
    for (i = 0; i < zh[L_MED].n; i++)
        for (j = 0; j < zh[L_FORM].n; j++) {
            cat2(b, sizeof b, zh_med[i], zh_form[j], "");
            pool_add(tail, set, b, C_MED);
        }
    for (i = 0; i < N_OF(zh_sym); i++) {
        cat2(b, sizeof b, "出现", zh_sym[i], "");
        pool_add(tail, set, b, C_SYM);
        cat2(b, sizeof b, "吃了以后", zh_sym[i], "");
        pool_add(tail, set, b, C_SYM);
    }
    for (i = 0; i < N_OF(zh_svc); i++) {
        static const char *const who[] = { "店员", "客服", "药师", "配送员" };

        for (j = 0; j < N_OF(who); j++) {
            cat2(b, sizeof b, who[j], zh_svc[i], "");
            pool_add(tail, set, b, C_SVC);
        }
    }
    for (i = 0; i < N_OF(zh_ref); i++) {
        cat2(b, sizeof b, "要求", zh_ref[i], "");
        pool_add(tail, set, b, C_REF);
    }
    for (i = 0; i < N_OF(zh_def); i++) {
        cat2(b, sizeof b, "收到的药", zh_def[i], "");
        pool_add(tail, set, b, C_DEF);
    }
    for (i = 0; i < N_OF(en_med); i++)
        for (j = 0; j < N_OF(en_form); j++) {
            cat2(b, sizeof b, en_med[i], " ", en_form[j]);
            pool_add(tail, set, b, C_MED);
        }
    for (i = 0; i < N_OF(en_sym); i++) {
        cat2(b, sizeof b, "gave me ", en_sym[i], "");
        pool_add(tail, set, b, C_SYM);
    }
    /* Compounds the templates never make. */
    for (i = 0; i < N_OF(zh_med); i++) {
        for (j = 0; j < N_OF(zh_sym); j++) {
            cat2(b, sizeof b, zh_med[i], zh_sym[j], "");
            pool_add(rare, set, b, C_SYM);
        }
        for (j = 0; j < N_OF(zh_def); j++) {
            cat2(b, sizeof b, zh_med[i], zh_def[j], "");
            pool_add(rare, set, b, C_DEF);
        }
    }
    for (i = 0; i < N_OF(en_med); i++)
        for (j = 0; j < N_OF(en_sym); j++) {
            cat2(b, sizeof b, en_med[i], " ", en_sym[j]);
            pool_add(rare, set, b, C_SYM);
        }
    /* Regexes. */
    for (i = 0; i < N_OF(hot); i++)
        pool_add(rx_hot, set, hot[i], i < 10 ? (int)(i % C_COUNT) : C_REF);
    for (i = 0; i < N_OF(zh_med); i++) {
        rx_term(t1, sizeof t1, zh_med[i]);
        for (k = 0; k < 6; k++) {
            const char *a = zh_sym[rnd(s, N_OF(zh_sym))], *c = zh_sym[rnd(s, N_OF(zh_sym))];
            const char *d = zh_def[rnd(s, N_OF(zh_def))], *e = zh_def[rnd(s, N_OF(zh_def))];

            snprintf(b, sizeof b, "%s.{0,10}(%s|%s)", t1, a, c);
            pool_add(rx_mid, set, b, C_SYM);
            snprintf(b, sizeof b, "%s.{0,12}(%s|%s)", t1, d, e);
            pool_add(rx_mid, set, b, C_DEF);
        }
        for (j = 0; j < N_OF(zh_sym); j++) {
            rx_term(t2, sizeof t2, zh_sym[j]);
            snprintf(b, sizeof b, "%s.{0,6}%s", t1, t2);
            pool_add(rx_rare, set, b, C_SYM);
            snprintf(b, sizeof b, "%s.{0,8}%s([0-9]|一|二|三|两)+(天|次)", t1, t2);
            pool_add(rx_rare, set, b, C_SYM);
        }
    }
    for (i = 0; i < N_OF(en_med); i++) {
        rx_term(t1, sizeof t1, en_med[i]);
        for (k = 0; k < 4; k++) {
            rx_term(t2, sizeof t2, en_sym[rnd(s, N_OF(en_sym))]);
            rx_term(t3, sizeof t3, en_sym[rnd(s, N_OF(en_sym))]);
            snprintf(b, sizeof b, "%s.{0,40}(%s|%s)", t1, t2, t3);
            pool_add(rx_mid, set, b, C_SYM);
        }
        for (j = 0; j < N_OF(en_def); j++) {
            rx_term(t2, sizeof t2, en_def[j]);
            snprintf(b, sizeof b, "%s.{0,30}%s", t1, t2);
            pool_add(rx_rare, set, b, C_DEF);
        }
    }
    pool_shuffle(common, s);
    pool_shuffle(tail, s);
    pool_shuffle(rare, s);
    pool_shuffle(rx_hot, s);
    pool_shuffle(rx_mid, s);
    pool_shuffle(rx_rare, s);
}

static struct cand *take(struct pool *first, struct pool *second, struct pool *third)
{
    if (first->next < first->n)
        return &first->v[first->next++];
    if (second->next < second->n)
        return &second->v[second->next++];
    if (third->next < third->n)
        return &third->v[third->next++];
    return NULL;
}

/* Share of the keyword and regex sequences drawn from each pool. The
 * common share sets the hit rate: ~6 hits per record at 1,000 patterns. */
#define P_COMMON 0.55
#define P_TAIL 0.30
#define P_RX_HOT 0.04
#define P_RX_MID 0.40

static void yq(FILE *f, const char *s)   /* YAML single-quoted scalar */
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

static const char *const cat_type[] = {
    "product_quality", "adverse_reaction", "product_quality", "service_attitude",
    "price_refund", "other", "other",
};
static const char *const cat_sev[] = { "low", "high", "medium", "low", "medium", "high", "low" };

static void write_header(FILE *f, size_t n_patterns)
{
    fprintf(f,
        "# Generated by bench/gen.c: %zu patterns (80%% keywords, 20%% regexes).\n"
        "ruleset: { name: bench-%zu, version: \"1\" }\n"
        "vocabulary:\n"
        "  types: [product_quality, adverse_reaction, service_attitude, price_refund, other]\n"
        "  severities: [low, medium, high, critical]\n"
        "  levels:\n"
        "    - { id: L1, team: customer_service, hours: 24 }\n"
        "    - { id: L2, team: pharmacist_hotline, hours: 12 }\n"
        "    - { id: L3, team: quality_legal, hours: 24 }\n"
        "    - { id: L4, team: emergency_response, hours: 1 }\n"
        "  tags: [needs_pharmacist, legal_threat, refund_request]\n"
        "defaults: { type: other, severity: low }\n"
        "escalation:\n"
        "  - id: esc.critical\n"
        "    when: { severity: critical }\n"
        "    level: L4\n"
        "  - id: esc.threat\n"
        "    when: { tags: [legal_threat] }\n"
        "    level: L3\n"
        "  - id: esc.adr\n"
        "    when: { type: [adverse_reaction], severity: \">= high\" }\n"
        "    level: L2\n"
        "  - default: true\n"
        "    level: L1\n"
        "scripts:\n"
        "  - { id: open.zh, group: opening, lang: zh-Hans, text: 非常抱歉给您带来不便，我们会尽快核实处理。 }\n"
        "  - { id: open.en, group: opening, lang: en, text: We are sorry for the trouble and will look into it right away. }\n"
        "  - { id: adr.zh, group: topic, lang: zh-Hans, when: { type: [adverse_reaction] }, text: 请先停用该产品，如有不适请尽快就医，药师会联系您。 }\n"
        "  - { id: adr.en, group: topic, lang: en, when: { type: [adverse_reaction] }, text: Please stop using the product and see a doctor if you feel unwell. }\n"
        "  - { id: refund.zh, group: topic, lang: zh-Hans, when: { type: [price_refund] }, text: 我们会在核实后三个工作日内为您办理退款。 }\n"
        "rules:\n",
        n_patterns, n_patterns);
}

int gen_rules_write(const char *path, size_t n_patterns, uint64_t seed,
                    struct gen_patterns *p)
{
    struct pool common = { 0 }, tail = { 0 }, rare = { 0 };
    struct pool rx_hot = { 0 }, rx_mid = { 0 }, rx_rare = { 0 };
    struct strset set = { NULL, 0, 0 };
    uint64_t s = seed;
    size_t n_rules = n_patterns / 5, r, k;
    FILE *f;
    int rc = 0;

    memset(p, 0, sizeof *p);
    build_pools(&common, &tail, &rare, &rx_hot, &rx_mid, &rx_rare, &set, &s);
    p->src = calloc(n_patterns + 1, sizeof *p->src);
    p->is_regex = calloc(n_patterns + 1, 1);
    p->ascii = calloc(n_patterns + 1, 1);
    p->rule = calloc(n_patterns + 1, sizeof *p->rule);
    f = fopen(path, "w");
    if (p->src == NULL || p->is_regex == NULL || p->ascii == NULL || p->rule == NULL ||
        f == NULL) {
        if (f)
            fclose(f);
        rc = -1;
        goto out;
    }
    write_header(f, n_patterns);
    /* Rule r: keywords 4r..4r+3 of the keyword sequence and regex r of the
     * regex sequence, so a larger set starts with the rules of a smaller one. */
    for (r = 0; r < n_rules && rc == 0; r++) {
        struct cand *c[5];
        int within = rnd01(&s) < 0.2;
        unsigned weight = 1 + (unsigned)rnd(&s, 5);

        for (k = 0; k < 4; k++) {
            double u = rnd01(&s);

            c[k] = u < P_COMMON ? take(&common, &tail, &rare)
                 : u < P_COMMON + P_TAIL ? take(&tail, &rare, &common)
                 : take(&rare, &tail, &common);
        }
        {
            double u = rnd01(&s);

            c[4] = u < P_RX_HOT ? take(&rx_hot, &rx_mid, &rx_rare)
                 : u < P_RX_HOT + P_RX_MID ? take(&rx_mid, &rx_rare, &rx_hot)
                 : take(&rx_rare, &rx_mid, &rx_hot);
        }
        for (k = 0; k < 5; k++) {
            size_t i = p->n;
            const char *q;

            if (c[k] == NULL) {
                rc = -1;
                break;
            }
            p->src[i] = strdup(c[k]->src);
            p->is_regex[i] = k == 4;
            p->rule[i] = (uint32_t)r;
            p->ascii[i] = 1;
            for (q = c[k]->src; *q; q++)
                if ((unsigned char)*q >= 0x80)
                    p->ascii[i] = 0;
            p->n++;
        }
        if (rc != 0)
            break;
        fprintf(f, "  - id: b%05zu\n    type: %s\n    severity: %s\n    weight: %u\n",
                r, cat_type[c[0]->cat], cat_sev[c[0]->cat], weight);
        if (c[0]->cat == C_SYM)
            fputs("    tags: [needs_pharmacist]\n", f);
        else if (c[0]->cat == C_THR)
            fputs("    tags: [legal_threat]\n", f);
        else if (c[0]->cat == C_REF)
            fputs("    tags: [refund_request]\n", f);
        if (within) {
            fputs("    match:\n      all:\n        - any: [", f);
            yq(f, c[0]->src);
            fputs(", ", f);
            yq(f, c[1]->src);
            fputs("]\n        - any: [", f);
            yq(f, c[2]->src);
            fputs(", ", f);
            yq(f, c[3]->src);
            fputs(", { regex: ", f);
            yq(f, c[4]->src);
            fputs(" }]\n      within: 20\n", f);
        } else {
            fputs("    match: { any: [", f);
            for (k = 0; k < 4; k++) {
                yq(f, c[k]->src);
                fputs(", ", f);
            }
            fputs("{ regex: ", f);
            yq(f, c[4]->src);
            fputs(" }] }\n", f);
        }
    }
    p->n_rules = n_rules;
    if (fclose(f) != 0)
        rc = -1;
out:
    pool_free(&common);
    pool_free(&tail);
    pool_free(&rare);
    pool_free(&rx_hot);
    pool_free(&rx_mid);
    pool_free(&rx_rare);
    free(set.slot);
    return rc;
}

void gen_patterns_free(struct gen_patterns *p)
{
    size_t i;

    for (i = 0; p->src != NULL && i < p->n; i++)
        free(p->src[i]);
    free(p->src);
    free(p->is_regex);
    free(p->ascii);
    free(p->rule);
    memset(p, 0, sizeof *p);
}

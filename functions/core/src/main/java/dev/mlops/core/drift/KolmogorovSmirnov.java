package dev.mlops.core.drift;

/**
 * Distributions behind {@code scipy.stats.ks_2samp} (SciPy 1.10.1): the exact two-sided
 * two-sample distribution (lattice-path counting) and the one-sample Kolmogorov distribution
 * {@code kstwo} that SciPy uses for its "asymptotic" two-sample p-value.
 */
final class KolmogorovSmirnov {

    /** SciPy's {@code MAX_AUTO_N}: 'auto' uses the exact distribution when max(n1, n2) is at most this. */
    static final int MAX_AUTO_N = 10_000;

    private static final int E128 = 128;
    private static final double EP128 = Math.scalb(1.0, E128);
    private static final double EM128 = Math.scalb(1.0, -E128);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double SQRT3 = Math.sqrt(3);
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = PI_SQUARED * PI_SQUARED;
    private static final double PI_SIX = PI_FOUR * PI_SQUARED;
    private static final double[] STIRLING_COEFFS = {
        -2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2
    };

    private KolmogorovSmirnov() {}

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Exact two-sided p-value Pr(D_{n1,n2} >= d), or NaN if it cannot be computed reliably (SciPy
     * then falls back to the asymptotic distribution).
     */
    static double exactTwoSidedPValue(int n1, int n2, double d) {
        long g = gcd(n1, n2);
        long lcm = (n1 / g) * (long) n2;
        long h = (long) Math.rint(d * lcm);
        if (h == 0) {
            return 1.0;
        }
        double prob;
        if (n1 == n2) {
            prob = probOutsideSquare(n1, h);
        } else {
            prob = outerProbInsideMethod(n1, n2, g, h);
        }
        if (!(prob >= 0.0 && prob <= 1.0)) {
            return Double.NaN;
        }
        return prob;
    }

    /** Proportion of lattice paths passing outside the lines x - y = +/- h (n1 == n2 == n). */
    private static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * Proportion of paths that do not stay strictly inside the two diagonal lines (Hodges' inside
     * method, computing 1 - p directly as in Viehmann 2021), as SciPy's {@code
     * _compute_outer_prob_inside_method}.
     */
    private static double outerProbInsideMethod(long mIn, long nIn, long g, long h) {
        long m = Math.max(mIn, nIn);
        long n = Math.min(mIn, nIn);
        long mg = m / g;
        long ng = n / g;
        long minj = 0;
        long maxj = Math.min((long) Math.ceil((double) h / mg), n + 1);
        long curlen = maxj - minj;
        int lenA = (int) Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        java.util.Arrays.fill(a, 1.0);
        for (long j = minj; j < maxj; j++) {
            a[(int) j] = 0.0;
        }
        for (long i = 1; i <= m; i++) {
            long lastminj = minj;
            long lastlen = curlen;
            minj = Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++) {
                long j = jj + minj;
                val = (a[(int) (jj + minj - lastminj)] * i + val * j) / (i + j);
                a[(int) jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                for (long t = maxj - minj; t < maxj - minj + (lastlen - curlen); t++) {
                    a[(int) t] = 1.0;
                }
            }
        }
        return a[(int) (maxj - minj - 1)];
    }

    /**
     * SciPy's asymptotic two-sided p-value: {@code kstwo.sf(d, round(n1 * n2 / (n1 + n2)))}.
     */
    static double asymptoticTwoSidedPValue(int n1, int n2, double d) {
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        return kolmogorovSf((long) Math.rint(en), d);
    }

    /** Survival function of the one-sample two-sided Kolmogorov statistic D_n (SciPy {@code kstwo.sf}). */
    static double kolmogorovSf(long n, double x) {
        if (n <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (long i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - prob);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 4) {
                // SciPy uses the Durbin matrix (MTW) below 0.754693 and Pomeranz's recursion up to 4;
                // both are exact algorithms for the same CDF, so the Durbin matrix serves for both.
                return clip(1.0 - durbinMatrixCdf(n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf;
        if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinMatrixCdf(n, x);
        } else {
            cdf = pelzGoodCdf(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    private static double logNFactorialDivNPowN(long n) {
        double rn = 1.0 / n;
        double x = rn / n;
        double poly = 0.0;
        for (double c : STIRLING_COEFFS) {
            poly = poly * x + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /**
     * One-sided Smirnov survival function Pr(D_n^+ >= x) by the exact Birnbaum-Tingey sum (all
     * terms positive, evaluated in log space).
     */
    static double smirnovSf(long n, double x) {
        if (x <= 0.0) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        long jmax = (long) Math.floor(n * (1.0 - x));
        double[] logTerms = new double[(int) jmax + 1];
        double maxLog = Double.NEGATIVE_INFINITY;
        double logN = SpecialFunctions.logGamma(n + 1.0);
        for (long j = 0; j <= jmax; j++) {
            double rest = 1.0 - x - (double) j / n;
            double logTerm;
            if (n - j == 0) {
                logTerm = 0.0;
            } else if (rest <= 0.0) {
                logTerm = Double.NEGATIVE_INFINITY;
            } else {
                logTerm = (n - j) * Math.log(rest);
            }
            logTerm += logN
                    - SpecialFunctions.logGamma(j + 1.0)
                    - SpecialFunctions.logGamma(n - j + 1.0)
                    + (j - 1) * Math.log(x + (double) j / n);
            logTerms[(int) j] = logTerm;
            maxLog = Math.max(maxLog, logTerm);
        }
        if (maxLog == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        double sum = 0.0;
        for (double lt : logTerms) {
            sum += Math.exp(lt - maxLog);
        }
        return clip(x * Math.exp(maxLog + Math.log(sum)));
    }

    /**
     * Pr(D_n <= d) by the Durbin matrix algorithm as implemented by Marsaglia, Tsang and Wang
     * (SciPy {@code _kolmogn_DMTW}).
     */
    static double durbinMatrixCdf(long n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[][] hm = new double[m][m];
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] pwr = new double[m][m];
        for (int i = 0; i < m; i++) {
            pwr[i][i] = 1.0;
        }
        long nn = n;
        int expnt = 0;
        int hExpnt = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                pwr = multiply(pwr, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= EP128;
                    }
                }
                hExpnt += E128;
            }
            nn /= 2;
        }
        double p = pwr[k - 1][k - 1];
        for (long i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= E128;
            }
        }
        if (expnt != 0) {
            p = Math.scalb(p, expnt);
        }
        return clip(p);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] out = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0.0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    out[i][j] += ail * b[l][j];
                }
            }
        }
        return out;
    }

    /** Pelz-Good approximation to Pr(D_n <= x) (SciPy {@code _kolmogn_PelzGood}). */
    static double pelzGoodCdf(long n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double zsquared = z * z;
        double zthree = zsquared * z;
        double zfour = zsquared * zsquared;
        double zsix = zfour * zsquared;

        double qlog = -PI_SQUARED / 8 / zsquared;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);

        double k1a = -zsquared;
        double k1b = PI_SQUARED / 4;

        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;

        double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
        double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.pow(z, 8);

        double[] k0to3 = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double mm = 2 * k - 1;
            double msquared = mm * mm;
            double mfour = msquared * msquared;
            double msix = mfour * msquared;
            double qpower = Math.pow(q, 8 * k);
            double[] coeffs = {
                1.0,
                k1a + k1b * msquared,
                k2a + k2b * msquared + k2c * mfour,
                k3a + k3b * msquared + k3c * mfour + k3d * msix
            };
            for (int i = 0; i < 4; i++) {
                k0to3[i] = k0to3[i] * qpower + coeffs[i];
            }
        }
        double[] divisors = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            k0to3[i] = k0to3[i] * q * SQRT2PI / divisors[i];
        }

        q = Math.exp(-PI_SQUARED / 2 / zsquared);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0.0;
        double k3extra = 0.0;
        for (int k = maxk; k > 0; k--) {
            double ksquared = (double) k * k;
            double qp = Math.pow(q, ksquared);
            double kspi = Math.PI * k;
            k2extra += ksquared * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qp;
        }
        k2extra *= PI_SQUARED * SQRT2PI / (-36 * zthree);
        k3extra *= PI_SQUARED * SQRT2PI / (216 * zsix);
        k0to3[2] += k2extra;
        k0to3[3] += k3extra;
        double sum = 0.0;
        for (int i = 0; i < 4; i++) {
            sum += k0to3[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }
}

package dev.mlops.core.drift;

/**
 * Special functions needed by the drift statistics: log-gamma, the regularised incomplete gamma
 * functions and the chi-square survival function.
 */
final class SpecialFunctions {

    private static final double HALF_LOG_2_PI = 0.5 * Math.log(2.0 * Math.PI);
    private static final double LANCZOS_G = 607.0 / 128.0;
    private static final double[] LANCZOS = {
        0.99999999999999709182,
        57.156235665862923517,
        -59.597960355475491248,
        14.136097974741747174,
        -0.49191381609762019978,
        .33994649984811888699e-4,
        .46523628927048575665e-4,
        -.98374475304879564677e-4,
        .15808870322491248884e-3,
        -.21026444172410488319e-3,
        .21743961811521264320e-3,
        -.16431810653676389022e-3,
        .84418223983852743293e-4,
        -.26190838401581408670e-4,
        .36899182659531622704e-5,
    };
    private static final double EPSILON = 1e-16;
    private static final int MAX_ITERATIONS = 100_000;

    private SpecialFunctions() {}

    /** Natural logarithm of the gamma function for {@code x > 0} (Lanczos approximation). */
    static double logGamma(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return Double.NaN;
        }
        if (x < 0.5) {
            // Gamma(x) = Gamma(x + 1) / x keeps the approximation in its accurate range.
            return logGamma(x + 1.0) - Math.log(x);
        }
        double sum = LANCZOS[0];
        for (int i = LANCZOS.length - 1; i > 0; i--) {
            sum += LANCZOS[i] / (x + i);
        }
        double tmp = x + LANCZOS_G + 0.5;
        return (x + 0.5) * Math.log(tmp) - tmp + HALF_LOG_2_PI + Math.log(sum / x);
    }

    /** Regularised lower incomplete gamma function P(a, x). */
    static double regularizedGammaP(double a, double x) {
        if (Double.isNaN(a) || Double.isNaN(x) || a <= 0 || x < 0) {
            return Double.NaN;
        }
        if (x == 0) {
            return 0.0;
        }
        if (x < a + 1.0) {
            return lowerSeries(a, x);
        }
        return 1.0 - upperContinuedFraction(a, x);
    }

    /** Regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
    static double regularizedGammaQ(double a, double x) {
        if (Double.isNaN(a) || Double.isNaN(x) || a <= 0 || x < 0) {
            return Double.NaN;
        }
        if (x == 0) {
            return 1.0;
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        if (x < a + 1.0) {
            return 1.0 - lowerSeries(a, x);
        }
        return upperContinuedFraction(a, x);
    }

    /** Survival function of the chi-square distribution with {@code dof} degrees of freedom. */
    static double chiSquareSurvival(double statistic, double dof) {
        if (Double.isNaN(statistic) || !(dof > 0)) {
            return Double.NaN;
        }
        if (statistic <= 0) {
            return 1.0;
        }
        return regularizedGammaQ(dof / 2.0, statistic / 2.0);
    }

    /** Series P(a,x) = e^-x x^a / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)). */
    private static double lowerSeries(double a, double x) {
        double term = 1.0 / a;
        double sum = term;
        double ap = a;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    /** Continued fraction for Q(a, x) (modified Lentz), valid for x >= a + 1. */
    private static double upperContinuedFraction(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1.0 - a;
        double c = 1.0 / tiny;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2.0;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1.0) < EPSILON) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }
}
